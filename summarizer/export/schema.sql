-- The corpus database that `summarizer export` writes (schema version 1, kept in PRAGMA user_version).
-- One row per article, per actor of an article, and per mention, alias, quote, figure, stance and key
-- point; `entities` resolves actors across articles. Offsets (char_start, char_end) index the
-- article's text (article.text of the digest) in characters. An article exported again replaces its
-- rows (the child rows go with it: ON DELETE CASCADE); entities are derived again after every export.

CREATE TABLE articles (
    article_id     TEXT PRIMARY KEY,
    title          TEXT,
    date           TEXT,               -- ISO 8601, as the digest gives it
    language       TEXT,
    url            TEXT,
    chars          INTEGER NOT NULL,
    sha256         TEXT NOT NULL,      -- of the article text: a changed text is a changed digest
    schema_version TEXT NOT NULL,
    model          TEXT NOT NULL,      -- 'rules' when no model ran
    prompt_version TEXT NOT NULL,
    fallback       INTEGER NOT NULL,   -- 1: the model's answer was unusable, the rules made the digest
    partial        INTEGER NOT NULL,   -- 1: the model answered for part of a long article only
    summary        TEXT NOT NULL,
    warnings       INTEGER NOT NULL    -- how many items were dropped or repaired
);
CREATE INDEX articles_by_date ON articles (date);

CREATE TABLE entities (
    entity_id TEXT PRIMARY KEY,        -- a hash of kind and name_key: the same corpus gives the same ids
    name      TEXT NOT NULL,           -- the most frequent spelling of the name
    kind      TEXT NOT NULL,           -- the most frequent kind its actors have
    name_key  TEXT NOT NULL            -- the normalised name the entity is known by
);

CREATE TABLE actors (
    article_id     TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    actor_id       TEXT NOT NULL,      -- 'a1', 'a2', ... within the article
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,      -- person, organization, country, group or other
    role           TEXT,
    affiliation_id TEXT,               -- actor_id of the actor it belongs to, in the same article
    extracted_by   TEXT NOT NULL,      -- 'model' or 'rules'
    name_key       TEXT NOT NULL,      -- the name normalised: case, accents, titles and possessives dropped
    match_key      TEXT NOT NULL,      -- the name_key it is matched by (a one-word name: the full name it shortens)
    entity_id      TEXT REFERENCES entities DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (article_id, actor_id),
    FOREIGN KEY (article_id, affiliation_id) REFERENCES actors (article_id, actor_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX actors_by_entity ON actors (entity_id);
CREATE INDEX actors_by_match_key ON actors (match_key, kind);

CREATE TABLE aliases (
    article_id TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    alias_no   INTEGER NOT NULL,
    alias      TEXT NOT NULL,
    alias_key  TEXT NOT NULL,
    PRIMARY KEY (article_id, actor_id, alias_no),
    FOREIGN KEY (article_id, actor_id) REFERENCES actors ON DELETE CASCADE
);
CREATE INDEX aliases_by_key ON aliases (alias_key);

CREATE TABLE mentions (
    article_id TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    mention_no INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (article_id, actor_id, mention_no),
    FOREIGN KEY (article_id, actor_id) REFERENCES actors ON DELETE CASCADE
);

CREATE TABLE quotes (
    article_id        TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    quote_id          TEXT NOT NULL,   -- 'q1', 'q2', ... within the article
    text              TEXT NOT NULL,
    speaker           TEXT,            -- the name as the digest gives it
    speaker_actor_id  TEXT,
    speaker_entity_id TEXT REFERENCES entities DEFERRABLE INITIALLY DEFERRED,
    kind              TEXT NOT NULL,   -- direct, indirect or partial
    cue               TEXT,            -- the reporting verb: 'said', 'told'
    via               TEXT,
    char_start        INTEGER,         -- null when not found in the text (grounding 'unmatched')
    char_end          INTEGER,
    grounding         TEXT NOT NULL,   -- exact, fuzzy or unmatched
    extracted_by      TEXT NOT NULL,
    PRIMARY KEY (article_id, quote_id),
    FOREIGN KEY (article_id, speaker_actor_id) REFERENCES actors (article_id, actor_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX quotes_by_speaker ON quotes (speaker_entity_id);

CREATE TABLE figures (
    article_id   TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    figure_id    TEXT NOT NULL,        -- 'f1', 'f2', ... within the article
    text         TEXT NOT NULL,        -- as written: '$6 billion'
    value        REAL,                 -- scale applied: 6000000000
    unit         TEXT,                 -- ISO 4217 code for money, '%' for percent, else the unit word
    kind         TEXT NOT NULL,        -- money, percent, count, measure or other
    approximate  INTEGER NOT NULL,
    describes    TEXT NOT NULL,
    char_start   INTEGER,
    char_end     INTEGER,
    grounding    TEXT NOT NULL,
    extracted_by TEXT NOT NULL,
    PRIMARY KEY (article_id, figure_id)
);
CREATE INDEX figures_by_unit_index ON figures (unit, kind);

CREATE TABLE stances (
    article_id       TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    stance_no        INTEGER NOT NULL, -- 1, 2, ... in digest order
    holder           TEXT NOT NULL,
    holder_actor_id  TEXT,
    holder_entity_id TEXT REFERENCES entities DEFERRABLE INITIALLY DEFERRED,
    target           TEXT NOT NULL,    -- an actor's name or a topic
    target_actor_id  TEXT,
    target_entity_id TEXT REFERENCES entities DEFERRABLE INITIALLY DEFERRED,
    polarity         TEXT NOT NULL,    -- supports, opposes, neutral or mixed
    topic            TEXT,
    evidence         TEXT,
    evidence_start   INTEGER,
    evidence_end     INTEGER,
    extracted_by     TEXT NOT NULL,
    PRIMARY KEY (article_id, stance_no),
    FOREIGN KEY (article_id, holder_actor_id) REFERENCES actors (article_id, actor_id) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (article_id, target_actor_id) REFERENCES actors (article_id, actor_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX stances_by_holder ON stances (holder_entity_id);
CREATE INDEX stances_by_target ON stances (target_entity_id);

CREATE TABLE key_points (
    article_id   TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    point_no     INTEGER NOT NULL,     -- 1, 2, ... in digest order
    text         TEXT NOT NULL,
    extracted_by TEXT,                 -- 'model' or 'rules'; null for digests older than key points with spans
    PRIMARY KEY (article_id, point_no)
);

CREATE TABLE key_point_spans (
    article_id TEXT NOT NULL,
    point_no   INTEGER NOT NULL,
    span_no    INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,          -- the article passage that supports the key point
    PRIMARY KEY (article_id, point_no, span_no),
    FOREIGN KEY (article_id, point_no) REFERENCES key_points ON DELETE CASCADE
);

-- Every quote of an entity, with its article.
CREATE VIEW entity_quotes AS
SELECT e.entity_id, e.name AS entity, e.kind, q.text AS quote, q.kind AS quote_kind, q.cue,
       a.article_id, a.title, a.date, q.char_start, q.char_end
FROM quotes q
JOIN entities e ON e.entity_id = q.speaker_entity_id
JOIN articles a ON a.article_id = q.article_id;

-- Who is quoted, how often, in how many articles, and when.
CREATE VIEW quotes_per_entity AS
SELECT e.entity_id, e.name AS entity, e.kind, COUNT(*) AS quotes, COUNT(DISTINCT q.article_id) AS articles,
       MIN(a.date) AS first_date, MAX(a.date) AS last_date
FROM quotes q
JOIN entities e ON e.entity_id = q.speaker_entity_id
JOIN articles a ON a.article_id = q.article_id
GROUP BY e.entity_id;

-- Who supports or opposes whom or what: one edge per holder, target and polarity. A holder or target
-- that is no actor (a topic) is grouped by its text, case aside.
CREATE VIEW stance_edges AS
SELECT s.holder_entity_id, coalesce(h.name, MIN(s.holder)) AS holder,
       s.target_entity_id, coalesce(t.name, MIN(s.target)) AS target,
       s.polarity, COUNT(*) AS stances, COUNT(DISTINCT s.article_id) AS articles,
       MIN(a.date) AS first_date, MAX(a.date) AS last_date
FROM stances s
JOIN articles a ON a.article_id = s.article_id
LEFT JOIN entities h ON h.entity_id = s.holder_entity_id
LEFT JOIN entities t ON t.entity_id = s.target_entity_id
GROUP BY coalesce(s.holder_entity_id, lower(trim(s.holder))), coalesce(s.target_entity_id, lower(trim(s.target))), s.polarity;

-- Every figure with a value, by unit (a currency code for money), with its article's date.
CREATE VIEW figures_by_unit AS
SELECT f.unit, f.kind, f.value, f.approximate, f.text, f.describes, a.date, a.article_id, a.title, f.figure_id
FROM figures f
JOIN articles a ON a.article_id = f.article_id
WHERE f.value IS NOT NULL
ORDER BY f.unit, a.date, f.value;
