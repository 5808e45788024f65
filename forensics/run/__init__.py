"""Running a scan: `scanner` (`scan()`: a source through the worker into a
case), `executors` (serial, process, Dask: the same worker, the same case),
`workerpool` (child processes supervised from outside, with a deadline and
a memory cap per file) and `workerproc` (the child)."""
