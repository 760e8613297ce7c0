-- Who saved a place choice (shown in `overrides list`; the last writer wins, by design).
ALTER TABLE override ADD COLUMN saved_by TEXT;
