-- The working-day calendar's years loaded by an administrator
-- (internal/workdays): each row is one year of a calendar file, in the
-- file format, and replaces the shipped year of the same number. Loading a
-- year again replaces its row; the audit log keeps who loaded what.
CREATE TABLE workday_years (
    year      INTEGER PRIMARY KEY,
    text      TEXT NOT NULL,
    loaded_by BIGINT REFERENCES users(id),
    loaded_at BIGINT NOT NULL
);
