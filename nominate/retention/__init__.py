"""Personal data kept no longer than needed (PIPL art. 19): per-campaign retention of nominees' data."""
