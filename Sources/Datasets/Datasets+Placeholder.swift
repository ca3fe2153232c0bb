// The `Datasets` module: see ../shared/DESIGN.md §6. Sources are added by the issue that builds it.
