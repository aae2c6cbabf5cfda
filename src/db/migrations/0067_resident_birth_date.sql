-- The account holder's date of birth (optional, in their profile): activities with an age limit
-- check it when the holder books for themselves, as they do for household members.
alter table residents add column birth_date date check (birth_date >= date '1900-01-01');
