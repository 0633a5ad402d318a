-- Schema contexts: ids are unique per context (`.` is the default one), and each named context has its own sequence.
CREATE TABLE "context_schema_ids" (
	"context" text PRIMARY KEY NOT NULL,
	"last_id" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schema_references" ADD COLUMN "context" text DEFAULT '.' NOT NULL;--> statement-breakpoint
ALTER TABLE "schemas" ADD COLUMN "context" text DEFAULT '.' NOT NULL;--> statement-breakpoint
ALTER TABLE "subject_versions" ADD COLUMN "context" text DEFAULT '.' NOT NULL;--> statement-breakpoint
ALTER TABLE "schemas" DROP CONSTRAINT "schemas_fingerprint_unique";--> statement-breakpoint
ALTER TABLE "schema_references" DROP CONSTRAINT "schema_references_schema_id_schemas_id_fk";
--> statement-breakpoint
ALTER TABLE "subject_versions" DROP CONSTRAINT "subject_versions_schema_id_schemas_id_fk";
--> statement-breakpoint
DROP INDEX "subject_versions_schema_id";--> statement-breakpoint
ALTER TABLE "schema_references" DROP CONSTRAINT "schema_references_schema_id_name_pk";--> statement-breakpoint
ALTER TABLE "schemas" DROP CONSTRAINT "schemas_pkey";--> statement-breakpoint
ALTER TABLE "schema_references" ADD CONSTRAINT "schema_references_context_schema_id_name_pk" PRIMARY KEY("context","schema_id","name");--> statement-breakpoint
ALTER TABLE "schemas" ADD CONSTRAINT "schemas_context_id_pk" PRIMARY KEY("context","id");--> statement-breakpoint
-- Versions of qualified subjects written before contexts existed move to their context, with copies of their schemas
-- (GUIDs included, and reference edges) under the same ids: ids were unique registry-wide, so they are unique in each context too.
UPDATE "subject_versions" SET "context" = CASE WHEN position(':' in substr("subject", 3)) > 0 THEN substr("subject", 2, position(':' in substr("subject", 3))) ELSE substr("subject", 2) END WHERE "subject" LIKE ':.%' AND "subject" NOT LIKE ':.:%';--> statement-breakpoint
INSERT INTO "schemas" ("context", "id", "schema_type", "schema", "fingerprint", "references", "metadata", "rule_set", "guid", "created_at")
  SELECT DISTINCT ON (v."context", s."id") v."context", s."id", s."schema_type", s."schema", s."fingerprint", s."references", s."metadata", s."rule_set", s."guid", s."created_at"
  FROM "subject_versions" v JOIN "schemas" s ON s."context" = '.' AND s."id" = v."schema_id" WHERE v."context" <> '.';--> statement-breakpoint
INSERT INTO "schema_references" ("context", "schema_id", "name", "subject", "version")
  SELECT s."context", r."schema_id", r."name", r."subject", r."version"
  FROM "schema_references" r JOIN "schemas" s ON s."id" = r."schema_id" AND s."context" <> '.' WHERE r."context" = '.';--> statement-breakpoint
INSERT INTO "context_schema_ids" ("context", "last_id") SELECT "context", max("id") FROM "schemas" WHERE "context" <> '.' GROUP BY "context";--> statement-breakpoint
ALTER TABLE "schema_references" ADD CONSTRAINT "schema_references_context_schema_id_schemas_context_id_fk" FOREIGN KEY ("context","schema_id") REFERENCES "public"."schemas"("context","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_versions" ADD CONSTRAINT "subject_versions_context_schema_id_schemas_context_id_fk" FOREIGN KEY ("context","schema_id") REFERENCES "public"."schemas"("context","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subject_versions_schema_id" ON "subject_versions" USING btree ("context","schema_id");--> statement-breakpoint
ALTER TABLE "schemas" ADD CONSTRAINT "schemas_context_fingerprint" UNIQUE("context","fingerprint");--> statement-breakpoint
-- The next id of a context: the default one draws from the schema_ids sequence (no registration waits on another);
-- a named one from its row in context_schema_ids, locked until the drawing transaction ends.
CREATE OR REPLACE FUNCTION next_schema_id(ctx text) RETURNS integer AS $$
DECLARE
  drawn integer;
BEGIN
  IF ctx = '.' THEN
    RETURN nextval('schema_ids')::integer;
  END IF;
  INSERT INTO context_schema_ids AS c (context, last_id) VALUES (ctx, 1)
    ON CONFLICT (context) DO UPDATE SET last_id = c.last_id + 1
    RETURNING last_id INTO drawn;
  RETURN drawn;
END;
$$ LANGUAGE plpgsql;
