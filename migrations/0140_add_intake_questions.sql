-- Issue 19: intake questions. A version's questions are part of what was sold (a JSON list of
-- BookingCore `IntakeQuestion`s; the published-version triggers of 0002 keep them frozen), and a
-- booking keeps its answers with the question text as asked (a JSON list of `IntakeAnswer`s),
-- masked by the field-visibility policy when shown and anonymised by erasure.
ALTER TABLE offer_versions ADD COLUMN intake_questions TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(intake_questions) AND json_type(intake_questions) = 'array' AND length(intake_questions) <= 40000);
ALTER TABLE booking_orders ADD COLUMN intake_answers TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(intake_answers) AND json_type(intake_answers) = 'array' AND length(intake_answers) <= 100000);
