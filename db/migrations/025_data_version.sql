-- Issue 16: pages that depend on data changing a few times a day are answered from a render
-- kept in memory under the data's version. One row holds the version; a trigger on every
-- table those pages read bumps it on any insert, update or delete, whoever writes (this
-- process, another portal on the same sqld, the CLI's import). A page reads it once per
-- request (src/domain/database/data-version.ts) and renders again only when it moved.
-- Tables the pages do not read (the audit trail, sessions, inbox, submission problems, the
-- day's readiness facts, which are gathered from the tables below) have no trigger.
CREATE TABLE data_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER data_version_panels_insert AFTER INSERT ON panels BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panels_update AFTER UPDATE ON panels BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panels_delete AFTER DELETE ON panels BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_submissions_insert AFTER INSERT ON submissions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_submissions_update AFTER UPDATE ON submissions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_submissions_delete AFTER DELETE ON submissions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_members_insert AFTER INSERT ON panel_members BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_members_update AFTER UPDATE ON panel_members BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_members_delete AFTER DELETE ON panel_members BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_patients_insert AFTER INSERT ON patients BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_patients_update AFTER UPDATE ON patients BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_patients_delete AFTER DELETE ON patients BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_visits_insert AFTER INSERT ON visits BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_visits_update AFTER UPDATE ON visits BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_visits_delete AFTER DELETE ON visits BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_practitioners_insert AFTER INSERT ON panel_practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_practitioners_update AFTER UPDATE ON panel_practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_panel_practitioners_delete AFTER DELETE ON panel_practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_practitioners_insert AFTER INSERT ON practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_practitioners_update AFTER UPDATE ON practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_practitioners_delete AFTER DELETE ON practitioners BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_clinic_settings_insert AFTER INSERT ON clinic_settings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_clinic_settings_update AFTER UPDATE ON clinic_settings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_clinic_settings_delete AFTER DELETE ON clinic_settings BEGIN UPDATE data_version SET version = version + 1; END;
