CREATE SEQUENCE "public"."schema_ids" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
-- Existing registries continue after their highest id.
SELECT setval('schema_ids', GREATEST((SELECT max(id) FROM schemas), 1), (SELECT max(id) FROM schemas) IS NOT NULL);
