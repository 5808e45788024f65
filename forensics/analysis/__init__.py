"""What is computed from a case's stored views: `case` (the `Case` the
public API opens), `times` (which time dates a file), `timeline` (the change
volume), `zones`, `entities`, `revisions`, `production` (fields from paths)
and `worktypes`. Nothing here imports the report."""
