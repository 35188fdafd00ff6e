-- Entities derived again from every actor in the database (the rules: summarizer/export/entities.py).
-- A name group is one (match_key, kind) after rule 1; `root` is the name key of the entity it joins.
-- Only rows whose entity changes are written, so adding a few articles to a large corpus rewrites little.
-- entity_key() and the name functions (word_count(), first_word(), ...) are Python functions registered on the connection.

DROP TABLE IF EXISTS temp.name_kinds;
DROP TABLE IF EXISTS temp.actor_kinds;
DROP TABLE IF EXISTS temp.name_groups;
DROP TABLE IF EXISTS temp.extra_word;
DROP TABLE IF EXISTS temp.shortened;
DROP TABLE IF EXISTS temp.moved;
DROP TABLE IF EXISTS temp.alias_owners;
DROP TABLE IF EXISTS temp.kind_entities;
DROP TABLE IF EXISTS temp.entity_kinds;

-- Rule 1: the most frequent specific kind of each name; its 'other' actors take it.
CREATE TEMP TABLE name_kinds AS
SELECT match_key, kind FROM (
    SELECT match_key, kind, ROW_NUMBER() OVER (PARTITION BY match_key ORDER BY COUNT(*) DESC, kind) AS rank
    FROM actors WHERE kind != 'other' GROUP BY match_key, kind
) WHERE rank = 1;
CREATE UNIQUE INDEX temp.name_kinds_by_key ON name_kinds (match_key);

-- Each name with each kind its actors have, and the group that kind falls in.
CREATE TEMP TABLE actor_kinds AS
SELECT DISTINCT a.match_key, a.kind, CASE WHEN a.kind = 'other' THEN coalesce(n.kind, 'other') ELSE a.kind END AS group_kind
FROM actors a LEFT JOIN name_kinds n ON n.match_key = a.match_key;
CREATE UNIQUE INDEX temp.actor_kinds_by_key ON actor_kinds (match_key, kind);

CREATE TEMP TABLE name_groups (match_key TEXT NOT NULL, kind TEXT NOT NULL, root TEXT NOT NULL, PRIMARY KEY (match_key, kind));
INSERT INTO name_groups SELECT DISTINCT match_key, group_kind, match_key FROM actor_kinds;

-- Rule 3: "republican donald trump" joins "donald trump": one word too many in front of a person's
-- name, unless it is a given name ("mary ann smith" is not "ann smith").
CREATE TEMP TABLE extra_word AS
SELECT s.match_key, without_first_word(s.match_key) AS rest
FROM name_groups s JOIN name_groups g ON g.match_key = without_first_word(s.match_key) AND g.kind = 'person'
WHERE s.kind = 'person' AND word_count(s.match_key) >= 3 AND NOT is_given_name(first_word(s.match_key));
CREATE UNIQUE INDEX temp.extra_word_by_key ON extra_word (match_key);
UPDATE name_groups SET root = (SELECT e.rest FROM extra_word e WHERE e.match_key = name_groups.match_key)
WHERE kind = 'person' AND match_key IN (SELECT match_key FROM extra_word);

-- Rule 4: "donald j trump" joins "donald trump", when that person exists and no other name shortens to it.
CREATE TEMP TABLE shortened AS
SELECT match_key, first_and_last_word(match_key) AS short
FROM name_groups WHERE kind = 'person' AND root = match_key AND word_count(match_key) >= 3;
CREATE UNIQUE INDEX temp.shortened_by_key ON shortened (match_key);
CREATE INDEX temp.shortened_by_short ON shortened (short);
UPDATE name_groups SET root = (SELECT s.short FROM shortened s WHERE s.match_key = name_groups.match_key)
WHERE kind = 'person' AND match_key IN (
    SELECT s.match_key FROM shortened s JOIN name_groups g ON g.match_key = s.short AND g.kind = 'person'
    WHERE s.short IN (SELECT short FROM shortened GROUP BY short HAVING COUNT(*) = 1)
);
-- One step further along a chain: "neither donald j trump" -> "donald j trump" -> "donald trump".
-- (From a snapshot, so the result never depends on the order rows are updated in.)
CREATE TEMP TABLE moved AS SELECT match_key, root FROM name_groups WHERE kind = 'person' AND root != match_key;
CREATE UNIQUE INDEX temp.moved_by_key ON moved (match_key);
UPDATE name_groups SET root = (SELECT m.root FROM moved m WHERE m.match_key = name_groups.root)
WHERE kind = 'person' AND root IN (SELECT match_key FROM moved);

-- Rule 5: a one-word person joins the person whose actors use the word as an alias, when one takes
-- at least :share of those uses.
CREATE TEMP TABLE alias_owners AS
SELECT word, owner FROM (
    SELECT al.alias_key AS word, g.root AS owner, COUNT(*) AS uses,
           SUM(COUNT(*)) OVER (PARTITION BY al.alias_key) AS total,
           ROW_NUMBER() OVER (PARTITION BY al.alias_key ORDER BY COUNT(*) DESC, g.root) AS rank
    FROM aliases al
    JOIN actors a ON a.article_id = al.article_id AND a.actor_id = al.actor_id
    JOIN actor_kinds k ON k.match_key = a.match_key AND k.kind = a.kind AND k.group_kind = 'person'
    JOIN name_groups g ON g.match_key = k.match_key AND g.kind = 'person'
    WHERE word_count(al.alias_key) = 1 AND g.root != al.alias_key
    GROUP BY al.alias_key, g.root
) WHERE rank = 1 AND uses >= total * :share;
CREATE UNIQUE INDEX temp.alias_owners_by_word ON alias_owners (word);
UPDATE name_groups SET root = (SELECT o.owner FROM alias_owners o WHERE o.word = name_groups.match_key)
WHERE kind = 'person' AND match_key IN (SELECT word FROM alias_owners);

-- Every actor to its entity, writing only the actors whose entity changed.
CREATE TEMP TABLE kind_entities AS
SELECT k.match_key, k.kind, entity_key(g.kind, g.root) AS entity_id, g.root
FROM actor_kinds k JOIN name_groups g ON g.match_key = k.match_key AND g.kind = k.group_kind;
CREATE UNIQUE INDEX temp.kind_entities_by_key ON kind_entities (match_key, kind);
CREATE INDEX temp.kind_entities_by_entity ON kind_entities (entity_id);
UPDATE actors SET entity_id = (SELECT e.entity_id FROM kind_entities e WHERE e.match_key = actors.match_key AND e.kind = actors.kind)
WHERE entity_id IS NOT (SELECT e.entity_id FROM kind_entities e WHERE e.match_key = actors.match_key AND e.kind = actors.kind);
UPDATE quotes SET speaker_entity_id = (
    SELECT a.entity_id FROM actors a WHERE a.article_id = quotes.article_id AND a.actor_id = quotes.speaker_actor_id
) WHERE speaker_actor_id IS NOT NULL AND speaker_entity_id IS NOT (
    SELECT a.entity_id FROM actors a WHERE a.article_id = quotes.article_id AND a.actor_id = quotes.speaker_actor_id
);
UPDATE stances SET (holder_entity_id, target_entity_id) = (
    (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.holder_actor_id),
    (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.target_actor_id)
) WHERE (holder_entity_id, target_entity_id) IS NOT (
    (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.holder_actor_id),
    (SELECT a.entity_id FROM actors a WHERE a.article_id = stances.article_id AND a.actor_id = stances.target_actor_id)
);

-- The entities: named by the commonest spelling among their root name's actors, of their commonest kind.
CREATE TEMP TABLE entity_kinds AS
SELECT entity_id, kind FROM (
    SELECT entity_id, kind, ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY COUNT(*) DESC, kind = 'other', kind) AS rank
    FROM actors GROUP BY entity_id, kind
) WHERE rank = 1;
CREATE UNIQUE INDEX temp.entity_kinds_by_id ON entity_kinds (entity_id);
INSERT INTO entities (entity_id, name, kind, name_key)
SELECT named.entity_id, named.name, k.kind, named.root
FROM (
    SELECT a.entity_id, a.name, r.root,
           ROW_NUMBER() OVER (PARTITION BY a.entity_id ORDER BY a.name_key = r.root DESC, COUNT(*) DESC, a.name) AS rank
    FROM actors a JOIN (SELECT DISTINCT entity_id, root FROM kind_entities) r ON r.entity_id = a.entity_id
    GROUP BY a.entity_id, a.name, a.name_key
) AS named
JOIN entity_kinds k ON k.entity_id = named.entity_id
WHERE named.rank = 1
ON CONFLICT (entity_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, name_key = excluded.name_key
WHERE (name, kind, name_key) IS NOT (excluded.name, excluded.kind, excluded.name_key);
DELETE FROM entities WHERE entity_id NOT IN (SELECT entity_id FROM kind_entities);

DROP TABLE temp.name_kinds;
DROP TABLE temp.actor_kinds;
DROP TABLE temp.name_groups;
DROP TABLE temp.extra_word;
DROP TABLE temp.shortened;
DROP TABLE temp.moved;
DROP TABLE temp.alias_owners;
DROP TABLE temp.kind_entities;
DROP TABLE temp.entity_kinds;
