-- Geocoding choices and the online cache (as the SQLite store held them before versions), and
-- the saved trips with every version kept. One SQL for both engines: the types are those SQLite
-- and PostgreSQL both read.
CREATE TABLE IF NOT EXISTS override (
    place_key TEXT NOT NULL, country TEXT NOT NULL, lat DOUBLE PRECISION, lon DOUBLE PRECISION, name TEXT,
    country_code TEXT, precision TEXT, saved DOUBLE PRECISION, PRIMARY KEY (place_key, country));
CREATE TABLE IF NOT EXISTS online_cache (
    provider TEXT NOT NULL, place_key TEXT NOT NULL, country TEXT NOT NULL, answer TEXT, saved DOUBLE PRECISION,
    PRIMARY KEY (provider, place_key, country));
CREATE TABLE IF NOT EXISTS trip (
    trip_id TEXT PRIMARY KEY, title TEXT NOT NULL, leader TEXT, current_version INTEGER NOT NULL,
    saved_by TEXT, saved_at DOUBLE PRECISION NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS trip_version (
    trip_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL, saved_by TEXT,
    saved_at DOUBLE PRECISION NOT NULL, action TEXT NOT NULL, PRIMARY KEY (trip_id, version));
