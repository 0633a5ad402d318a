ALTER TABLE "schemas" ADD COLUMN "guid" text;--> statement-breakpoint
CREATE INDEX "schemas_guid" ON "schemas" USING btree ("guid");