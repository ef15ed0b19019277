"""Writing records: new records and their validation, importers of evaluation outputs, the ``init``
scaffold and the synthetic repository generator."""
