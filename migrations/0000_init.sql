CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"version" integer,
	"schema_id" integer,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "configs" (
	"scope" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modes" (
	"scope" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schema_references" (
	"schema_id" integer NOT NULL,
	"name" text NOT NULL,
	"subject" text NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "schema_references_schema_id_name_pk" PRIMARY KEY("schema_id","name")
);
--> statement-breakpoint
CREATE TABLE "schemas" (
	"id" integer PRIMARY KEY NOT NULL,
	"schema_type" text NOT NULL,
	"schema" text NOT NULL,
	"fingerprint" text NOT NULL,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metadata" json,
	"rule_set" json,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schemas_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
CREATE TABLE "subject_versions" (
	"subject" text NOT NULL,
	"version" integer NOT NULL,
	"schema_id" integer NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subject_versions_subject_version_pk" PRIMARY KEY("subject","version")
);
--> statement-breakpoint
ALTER TABLE "schema_references" ADD CONSTRAINT "schema_references_schema_id_schemas_id_fk" FOREIGN KEY ("schema_id") REFERENCES "public"."schemas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_versions" ADD CONSTRAINT "subject_versions_schema_id_schemas_id_fk" FOREIGN KEY ("schema_id") REFERENCES "public"."schemas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_subject" ON "audit_log" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "schema_references_target" ON "schema_references" USING btree ("subject","version");--> statement-breakpoint
CREATE INDEX "subject_versions_schema_id" ON "subject_versions" USING btree ("schema_id");