-- panel_readiness keeps counts where it kept lists of patient ids: "Ready" and its reasons
-- need only how many patients fail a rule (the members page finds which ones itself), and a
-- count is cheaper to gather, store and read. The rows kept so far hold lists: drop them, and
-- the next reader gathers each panel afresh.
DELETE FROM panel_readiness;
