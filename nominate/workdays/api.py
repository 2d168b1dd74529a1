from flask_smorest import Blueprint

from nominate.core.api import doc_errors, token_required
from nominate.workdays.calendar import load_calendar
from nominate.workdays.schemas import WorkdaysArgs, WorkdaysEndSchema

blp = Blueprint("api_workdays", __name__, description="工作日计算")


@blp.route("/workdays/end")
@blp.arguments(WorkdaysArgs, location="query")
@blp.response(200, WorkdaysEndSchema)
@doc_errors(blp, 401, 422)
@token_required
def workdays_end(args):
    """从 start 起第 days 个工作日（start 为工作日时计为第1天）"""
    return {"end": load_calendar().add_workdays(args["start"], args["days"])}
