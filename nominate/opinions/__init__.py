"""The 征求意见表 (附件4): three opinion rows per individual nominee, each signed by its department."""
