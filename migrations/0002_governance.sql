CREATE TABLE "catalog_entries" (
	"subject" text PRIMARY KEY NOT NULL,
	"owner" text,
	"domain" text,
	"lifecycle" text DEFAULT 'active' NOT NULL,
	"entry" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_settings" (
	"scope" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "catalog_entries_owner" ON "catalog_entries" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "catalog_entries_domain" ON "catalog_entries" USING btree ("domain");