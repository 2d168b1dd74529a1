"""Every message a caller can see, in Chinese: the HTTP statuses (pages and API) and the input errors of marshmallow
(the API's schemas), whose English defaults would otherwise reach the caller ("Not a valid date.")."""
from __future__ import annotations

#: Every status Werkzeug can raise (werkzeug.exceptions.default_exceptions), in words; the API words 401 and 404
#: its own way (a token, a record), the pages use these.
HTTP_MESSAGES = {
    400: "请求格式错误", 401: "需要登录后才能访问", 403: "您无权执行此操作", 404: "页面或记录不存在",
    405: "不支持的请求方法（此地址不接受这种提交方式）", 406: "无法按要求的格式提供内容", 408: "请求超时，请重试",
    409: "数据已被他人修改，请刷新后重试", 410: "该内容已不再提供", 411: "请求缺少内容长度（Content-Length）",
    412: "请求的前提条件不满足", 413: "上传内容过大", 414: "网址过长", 415: "请求内容类型应为 application/json",
    416: "请求的内容范围无效", 417: "无法满足请求的期望条件", 418: "服务器拒绝冲泡咖啡（418）",
    421: "请求发往了错误的服务器", 422: "输入数据不符合要求", 423: "该资源已被锁定", 424: "所依赖的请求失败",
    428: "请求须带前提条件", 429: "请求过于频繁，请稍后再试", 431: "请求头过大", 451: "因法律原因无法提供",
    500: "服务器内部错误，已记录", 501: "服务器不支持此功能", 502: "网关错误，请稍后重试", 503: "服务暂不可用，请稍后重试",
    504: "网关超时，请稍后重试", 505: "不支持的 HTTP 版本", 507: "服务器存储空间不足", 508: "检测到循环请求",
    511: "需要网络认证",
}

#: marshmallow's default messages of its fields (by class name) and of the schema
FIELD_MESSAGES = {
    "Field": {"required": "缺少必填项。", "null": "不能为空。", "validator_failed": "取值无效。"},
    "Boolean": {"invalid": "不是有效的布尔值（true / false）。"},
    "Date": {"invalid": "不是有效的日期（应为 YYYY-MM-DD）。", "format": "“{input}”无法按日期格式输出。"},
    "_TemporalField": {"invalid": "不是有效的日期或时间。", "invalid_awareness": "不是有效的日期或时间（时区不符）。",
                       "format": "“{input}”无法按日期时间格式输出。"},
    "Decimal": {"special": "不允许特殊数值（nan 或 infinity）。"},
    "Float": {"special": "不允许特殊数值（nan 或 infinity）。"},
    "Email": {"invalid": "不是有效的电子邮箱地址。"},
    "Enum": {"unknown": "须为以下之一：{choices}。"},
    "IP": {"invalid_ip": "不是有效的 IP 地址。"}, "IPv4": {"invalid_ip": "不是有效的 IPv4 地址。"},
    "IPv6": {"invalid_ip": "不是有效的 IPv6 地址。"},
    "IPInterface": {"invalid_ip_interface": "不是有效的 IP 网络接口。"},
    "IPv4Interface": {"invalid_ip_interface": "不是有效的 IPv4 网络接口。"},
    "IPv6Interface": {"invalid_ip_interface": "不是有效的 IPv6 网络接口。"},
    "Integer": {"invalid": "不是有效的整数。"},
    "List": {"invalid": "不是有效的列表。"}, "Tuple": {"invalid": "不是有效的元组。"},
    "Mapping": {"invalid": "不是有效的键值结构。"}, "Nested": {"type": "类型无效。"},
    "Number": {"invalid": "不是有效的数字。", "too_large": "数字过大。"},
    "String": {"invalid": "不是有效的文本。", "invalid_utf8": "不是有效的 UTF-8 文本。"},
    "TimeDelta": {"invalid": "不是有效的时长。", "format": "{input!r} 无法按时长格式输出。"},
    "Url": {"invalid": "不是有效的网址。"}, "UUID": {"invalid_uuid": "不是有效的 UUID。"},
}
SCHEMA_MESSAGES = {"type": "输入类型无效（应为 JSON 对象）。", "unknown": "未知字段。"}
#: marshmallow's validators: class name → {attribute: message}
VALIDATOR_MESSAGES = {
    "ContainsNoneOf": {"default_message": "所选内容不能包含：{values}。"},
    "ContainsOnly": {"default_message": "所选内容只能取自：{choices}。"},
    "Email": {"default_message": "不是有效的电子邮箱地址。"},
    "Equal": {"default_message": "须等于 {other}。"},
    "Length": {"message_min": "长度不能少于 {min}。", "message_max": "长度不能超过 {max}。",
               "message_all": "长度须在 {min} 至 {max} 之间。", "message_equal": "长度须为 {equal}。"},
    "NoneOf": {"default_message": "取值无效。"}, "Predicate": {"default_message": "取值无效。"},
    "OneOf": {"default_message": "须为以下之一：{choices}。"},
    "Range": {"message_min": "须{min_op} {{min}}。", "message_max": "须{max_op} {{max}}。",
              "message_all": "须{min_op} {{min}}且{max_op} {{max}}。", "message_gte": "大于或等于",
              "message_gt": "大于", "message_lte": "小于或等于", "message_lt": "小于"},
    "Regexp": {"default_message": "格式不符合要求。"},
    "URL": {"default_message": "不是有效的网址。"},
}


def install_marshmallow_messages() -> None:
    """Put the Chinese messages into marshmallow's classes (before any schema is built: a field copies its class's
    messages when it is created). Idempotent."""
    import inspect

    from marshmallow import Schema, fields, validate

    for name, cls in inspect.getmembers(fields, inspect.isclass):
        own = cls.__dict__.get("default_error_messages")
        if own is not None and name in FIELD_MESSAGES:
            own.update(FIELD_MESSAGES[name])
    Schema._default_error_messages.update(SCHEMA_MESSAGES)
    for name, attrs in VALIDATOR_MESSAGES.items():
        cls = getattr(validate, name)
        for attr, text in attrs.items():
            setattr(cls, attr, text)
