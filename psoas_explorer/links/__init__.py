"""The public link format: query parameters and the page registry with each page's parameters."""
