"""Personal data handled as special-category data: consent records (and later copy/erasure)."""
