"""Developer tools for doqu that are not part of any distribution."""
