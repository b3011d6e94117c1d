-- +goose Up
-- The visit tables of the reports read a month of visits out of years:
-- a covering index lets them read it from the index alone (an index-only
-- scan), not from heap pages scattered by the order visits were logged in.
CREATE INDEX visits_report_idx ON visits (visited_at) INCLUDE (team_id, fund_id, chw_id, client_id, mode, missions, topics);
DROP INDEX visits_time_idx;

-- +goose Down
CREATE INDEX visits_time_idx ON visits (visited_at);
DROP INDEX visits_report_idx;
