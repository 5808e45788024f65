"""The case's storage: `schema` (one SQLite file, WAL mode), `writer` (one
observation's results, batched and resumable), `custody` (the manifest,
seals and their check) and `views` (the stored rows as DataFrames, nothing
derived). Nothing here imports the analysis or the report."""
