"""The official tables filled from the database: contexts, DOCX/XLSX/PDF, ZIP bundles, downloads."""
