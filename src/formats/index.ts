// The formats Accord speaks, by Confluent schemaType.
import { avroFormat } from './avro/index.js';
import type { SchemaFormat, SchemaType } from './format.js';
import { jsonSchemaFormat } from './json/index.js';
import { protobufFormat } from './protobuf/index.js';

const formats = new Map<string, SchemaFormat>([avroFormat, protobufFormat, jsonSchemaFormat].map((f) => [f.schemaType, f]));

/** The format for a schemaType, case-sensitive as in Confluent (`avro` is not a type). */
export function formatFor(schemaType: string): SchemaFormat | undefined {
  return formats.get(schemaType);
}

export function supportedSchemaTypes(): SchemaType[] {
  return [...formats.keys()] as SchemaType[];
}

export * from './format.js';
