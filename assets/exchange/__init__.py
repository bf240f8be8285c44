"""Data-exchange products: consent register, publishing (anonymised, versioned Parquet) and access."""
