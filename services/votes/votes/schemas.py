"""HTTP shapes of the votes API."""
from marshmallow import Schema, fields


class Vote(Schema):
    idea_id = fields.String()
    voter_id = fields.String()
    cast_at = fields.AwareDateTime()
    live = fields.Boolean()  # False once withdrawn


class Tally(Schema):
    idea_id = fields.String()
    count = fields.Integer()
    threshold = fields.Integer()
    threshold_reached = fields.Boolean()
    my_vote = fields.Boolean(allow_none=True, metadata={"description": "null when the request is anonymous"})
