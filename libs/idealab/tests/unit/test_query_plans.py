"""The full-scan checker on explain answers captured from both engines, and the ranked reads' pure parts."""
from datetime import datetime, timezone

from idealab.mongo import at_or_before, full_scans, in_order

# Captured from FerretDB v2.7 + DocumentDB (trimmed to the fields that matter), PostgreSQL plans under "Plan".
SHARD = "(shard_key_value = '1467'::bigint)"
SORT_OF_EVERY_ROW = {"queryPlanner": {"Plan": {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Plans": [{
    "Node Type": "Bitmap Heap Scan", "Relation Name": "documents_1467", "Recheck Cond": SHARD, "Plans": [{
        "Node Type": "Bitmap Index Scan", "Index Name": "_id_", "Index Cond": SHARD}]}]}]}},
    "command": {"find": "ideas", "filter": {}, "sort": {"i": -1}, "limit": 5}}
EQUALITY_ON_INDEX = {"queryPlanner": {"Plan": {"Node Type": "Bitmap Heap Scan", "Plans": [{
    "Node Type": "Bitmap Index Scan", "Index Name": "g_1",
    "Index Cond": "(document OPERATOR(documentdb_api_catalog.@=) 'BSONHEX0c000000…'::documentdb_core.bson)",
}]}}}
BY_ID = {"queryPlanner": {"Plan": {"Node Type": "Index Scan", "Index Name": "_id_", "Index Cond": (
    "((shard_key_value = '3251'::bigint) AND (object_id OPERATOR(documentdb_core.=) "
    "'BSONHEX120000000200070000006930303030310000'::documentdb_core.bson))")}}}
SEQ_SCAN = {"queryPlanner": {"Plan": {"Node Type": "Seq Scan", "Relation Name": "documents_3251",
                                      "Filter": "(document OPERATOR(documentdb_api_catalog.@=) 'BSONHEX…')"}}}
RANGE_OR = {"queryPlanner": {"Plan": {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Plans": [{
    "Node Type": "Bitmap Heap Scan", "Plans": [{"Node Type": "BitmapOr", "Plans": [
        {"Node Type": "Bitmap Index Scan", "Index Name": "vote_count_-1", "Index Cond": "(document @> 'BSONHEX…')"},
        {"Node Type": "Bitmap Index Scan", "Index Name": "vote_count_-1", "Index Cond": "(document @= 'BSONHEX…')"},
    ]}]}]}]}}}

# MongoDB's shape: stages under queryPlanner.winningPlan; rejected plans were not run.
MONGO_COLLSCAN = {"queryPlanner": {"namespace": "ideas.ideas", "winningPlan": {
    "stage": "LIMIT", "inputStage": {"stage": "SORT", "inputStage": {"stage": "COLLSCAN", "direction": "forward"}}},
    "rejectedPlans": []}}
MONGO_IXSCAN = {"queryPlanner": {"namespace": "ideas.ideas", "winningPlan": {
    "stage": "FETCH", "inputStage": {"stage": "IXSCAN", "indexName": "g_1", "keyPattern": {"g": 1}}},
    "rejectedPlans": [{"stage": "COLLSCAN"}]}}


def test_a_sort_over_the_shard_key_alone_is_a_full_scan():
    assert full_scans(SORT_OF_EVERY_ROW) == ["Bitmap Index Scan of _id_ by the shard key alone"]


def test_a_sequential_scan_is_a_full_scan():
    assert full_scans(SEQ_SCAN) == ["Seq Scan of documents_3251"]


def test_reads_by_index_conditions_are_not_full_scans():
    assert full_scans(EQUALITY_ON_INDEX) == []
    assert full_scans(BY_ID) == []
    assert full_scans(RANGE_OR) == []


def test_a_mongodb_collection_scan_is_a_full_scan_but_a_rejected_one_is_not():
    assert full_scans(MONGO_COLLSCAN) == ["COLLSCAN"]
    assert full_scans(MONGO_IXSCAN) == []


MOST_VOTED = [("vote_count", -1), ("submitted_at", -1), ("_id", 1)]
T = datetime(2026, 1, 2, tzinfo=timezone.utc)


def test_at_or_before_keeps_whatever_ties_with_the_floor_but_for_the_tie_break():
    assert at_or_before(MOST_VOTED, {"vote_count": 7, "submitted_at": T}) == {
        "$or": [{"vote_count": {"$gt": 7}}, {"vote_count": 7, "submitted_at": {"$gte": T}}]}
    assert at_or_before([("updated_at", -1), ("_id", 1)], {"updated_at": T}) == {"updated_at": {"$gte": T}}


def test_in_order_sorts_documents_as_the_database_does():
    docs = [{"_id": "b", "vote_count": 1, "submitted_at": T}, {"_id": "a", "vote_count": 1, "submitted_at": T},
            {"_id": "c", "vote_count": 2, "submitted_at": T}]
    assert [d["_id"] for d in sorted(docs, key=in_order(MOST_VOTED))] == ["c", "a", "b"]
