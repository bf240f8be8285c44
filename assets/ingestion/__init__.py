"""Landing batch -> Parquet raw lake, with row-level quarantine and batch rejection."""
