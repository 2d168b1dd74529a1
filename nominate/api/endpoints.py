"""Collects the API blueprints of every area."""
from nominate.audit.api import blp as audit
from nominate.batches.api import blp as batches
from nominate.campaigns.api import blp as campaigns
from nominate.documents.api import blp as documents
from nominate.honours.api import blp as honours
from nominate.nominations.api import blp as nominations
from nominate.notifications.api import blp as notifications
from nominate.opinions.api import blp as opinions
from nominate.publicity.api import blp as publicity
from nominate.workdays.api import blp as workdays

BLUEPRINTS = [campaigns, nominations, batches, publicity, opinions, workdays, documents, honours, audit,
              notifications]
