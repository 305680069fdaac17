"""The search engines behind the index and search stages."""
