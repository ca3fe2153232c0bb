// The `Interpolation` module: see ../shared/DESIGN.md §2. Sources are added by the issue that builds it.
