"""A campaign's own versions of the Word templates: uploaded by the admin, checked, previewed, versioned."""
