-- Entities derived again from every actor in the database (the rules: summarizer/export/entities.py).
-- A name group is one (match_key, kind) after rule 1; `root` is the name key of the entity it joins.
-- entity_key() and the name functions (word_count(), first_word(), ...) are Python functions registered on the connection.

DROP TABLE IF EXISTS temp.name_kinds;
DROP TABLE IF EXISTS temp.name_groups;
DROP TABLE IF EXISTS temp.shortened;
DROP TABLE IF EXISTS temp.extra_word;
DROP TABLE IF EXISTS temp.moved;
DROP TABLE IF EXISTS temp.alias_owners;
DROP TABLE IF EXISTS temp.entity_roots;

-- Rule 1: the most frequent specific kind of each name; its 'other' actors take it.
CREATE TEMP TABLE name_kinds AS
SELECT match_key, kind FROM (
    SELECT match_key, kind, ROW_NUMBER() OVER (PARTITION BY match_key ORDER BY COUNT(*) DESC, kind) AS rank
    FROM actors WHERE kind != 'other' GROUP BY match_key, kind
) WHERE rank = 1;
CREATE UNIQUE INDEX temp.name_kinds_by_key ON name_kinds (match_key);

CREATE TEMP TABLE name_groups (
    match_key TEXT NOT NULL, kind TEXT NOT NULL, root TEXT NOT NULL, entity_id TEXT,
    PRIMARY KEY (match_key, kind)
);
INSERT INTO name_groups (match_key, kind, root)
SELECT DISTINCT a.match_key, CASE WHEN a.kind = 'other' THEN coalesce(n.kind, 'other') ELSE a.kind END, a.match_key
FROM actors a LEFT JOIN name_kinds n ON n.match_key = a.match_key;

-- Rule 3: "republican donald trump" joins "donald trump": one word too many in front of a person's
-- name, unless it is a given name ("mary ann smith" is not "ann smith").
CREATE TEMP TABLE extra_word AS
SELECT s.match_key, without_first_word(s.match_key) AS rest
FROM name_groups s JOIN name_groups g ON g.match_key = without_first_word(s.match_key) AND g.kind = 'person'
WHERE s.kind = 'person' AND word_count(s.match_key) >= 3 AND NOT is_given_name(first_word(s.match_key));
UPDATE name_groups SET root = (SELECT e.rest FROM extra_word e WHERE e.match_key = name_groups.match_key)
WHERE kind = 'person' AND match_key IN (SELECT match_key FROM extra_word);

-- Rule 4: "donald j trump" joins "donald trump", when that person exists and no other name shortens to it.
CREATE TEMP TABLE shortened AS
SELECT match_key, first_and_last_word(match_key) AS short
FROM name_groups WHERE kind = 'person' AND root = match_key AND word_count(match_key) >= 3;
UPDATE name_groups SET root = (SELECT s.short FROM shortened s WHERE s.match_key = name_groups.match_key)
WHERE kind = 'person' AND match_key IN (
    SELECT s.match_key FROM shortened s JOIN name_groups g ON g.match_key = s.short AND g.kind = 'person'
    WHERE s.short IN (SELECT short FROM shortened GROUP BY short HAVING COUNT(*) = 1)
);
-- One step further along a chain: "neither donald j trump" -> "donald j trump" -> "donald trump".
-- (From a snapshot, so the result never depends on the order rows are updated in.)
CREATE TEMP TABLE moved AS SELECT match_key, root FROM name_groups WHERE kind = 'person' AND root != match_key;
UPDATE name_groups SET root = (SELECT m.root FROM moved m WHERE m.match_key = name_groups.root)
WHERE kind = 'person' AND root IN (SELECT match_key FROM moved);
UPDATE name_groups SET entity_id = entity_key(kind, root);

UPDATE actors SET entity_id = (
    SELECT g.entity_id FROM name_groups g
    WHERE g.match_key = actors.match_key
      AND g.kind = CASE WHEN actors.kind = 'other'
                        THEN coalesce((SELECT n.kind FROM name_kinds n WHERE n.match_key = actors.match_key), 'other')
                        ELSE actors.kind END
);

-- Rule 5: a one-word person joins the person whose actors use the word as an alias, when one takes
-- at least :share of those uses.
CREATE TEMP TABLE entity_roots AS SELECT DISTINCT entity_id, kind, root FROM name_groups;
CREATE INDEX temp.entity_roots_by_id ON entity_roots (entity_id);
CREATE TEMP TABLE alias_owners AS
SELECT word, owner, owner_root FROM (
    SELECT al.alias_key AS word, r.entity_id AS owner, r.root AS owner_root, COUNT(*) AS uses,
           SUM(COUNT(*)) OVER (PARTITION BY al.alias_key) AS total,
           ROW_NUMBER() OVER (PARTITION BY al.alias_key ORDER BY COUNT(*) DESC, r.root) AS rank
    FROM aliases al
    JOIN actors a ON a.article_id = al.article_id AND a.actor_id = al.actor_id
    JOIN entity_roots r ON r.entity_id = a.entity_id AND r.kind = 'person'
    WHERE word_count(al.alias_key) = 1 AND r.root != al.alias_key
    GROUP BY al.alias_key, r.entity_id
) WHERE rank = 1 AND uses >= total * :share;
UPDATE actors SET entity_id = (SELECT o.owner FROM alias_owners o WHERE entity_key('person', o.word) = actors.entity_id)
WHERE entity_id IN (SELECT entity_key('person', word) FROM alias_owners);
DELETE FROM entity_roots WHERE entity_id IN (SELECT entity_key('person', word) FROM alias_owners);

-- The entities: named by the commonest spelling among their root name's actors, of their commonest kind.
DELETE FROM entities;
INSERT INTO entities (entity_id, name, kind, name_key)
SELECT named.entity_id, named.name, kinds.kind, named.root
FROM (
    SELECT a.entity_id, a.name, r.root,
           ROW_NUMBER() OVER (PARTITION BY a.entity_id ORDER BY a.name_key = r.root DESC, COUNT(*) DESC, a.name) AS rank
    FROM actors a JOIN entity_roots r ON r.entity_id = a.entity_id
    GROUP BY a.entity_id, a.name, a.name_key
) AS named
JOIN (
    SELECT entity_id, kind, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY COUNT(*) DESC, kind = 'other', kind) AS rank
    FROM actors GROUP BY entity_id, kind
) AS kinds ON kinds.entity_id = named.entity_id AND kinds.rank = 1
WHERE named.rank = 1;

UPDATE quotes SET speaker_entity_id = (
    SELECT a.entity_id FROM actors a WHERE a.article_id = quotes.article_id AND a.actor_id = quotes.speaker_actor_id
);
UPDATE stances SET
    holder_entity_id = (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.holder_actor_id),
    target_entity_id = (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.target_actor_id);

DROP TABLE temp.name_kinds;
DROP TABLE temp.name_groups;
DROP TABLE temp.shortened;
DROP TABLE temp.extra_word;
DROP TABLE temp.moved;
DROP TABLE temp.alias_owners;
DROP TABLE temp.entity_roots;
