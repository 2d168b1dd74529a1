"""审计查询 (accountability): searching and exporting the audit trail (admin: everything; 纪检监察: the nominations
they may see and their own events). It reads every area; the trail itself (the rows, and the one function that
writes them) is ``nominate.audit``, below the areas that write it."""
