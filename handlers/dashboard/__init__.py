"""The coordinator dashboard's request handlers: forms and pages in, domain and storage calls out."""
