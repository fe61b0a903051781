-- A preview made in the portal now holds either the JSON extract (its text, as before) or FHIR
-- R4 files (a Bundle, NDJSON files: several in one upload), kept as a JSON list of
-- {name, text} so that Apply reads exactly what was previewed.
ALTER TABLE import_previews ADD COLUMN format TEXT NOT NULL DEFAULT 'extract' CHECK (format IN ('extract', 'fhir'));
