-- A failure and what goes with it (problems, the inbox message) are written in one batch; the
-- token set by the compare-and-set update tells the batch's later statements that this
-- worker's update is the one that won.
ALTER TABLE submissions ADD COLUMN outcome_token TEXT;
