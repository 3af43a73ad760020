"""The 发文目录, special reviews and the annual report's records: filled in by that part."""
