// Imports that resolve without references: the well-known types Confluent bundles.

/** Confluent's own imports, as its serializers declare them. */
const CONFLUENT: Record<string, string> = {
  'confluent/meta.proto': `syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
}
extend google.protobuf.FileOptions { Meta file_meta = 1088; }
extend google.protobuf.MessageOptions { Meta message_meta = 1088; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }
extend google.protobuf.EnumOptions { Meta enum_meta = 1088; }
extend google.protobuf.EnumValueOptions { Meta enum_value_meta = 1088; }
`,
  'confluent/type/decimal.proto': `syntax = "proto3";
package confluent.type;
message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
`,
};

/** google/type/*.proto most often imported by event schemas. */
const GOOGLE_TYPE: Record<string, string> = {
  'google/type/date.proto': 'syntax = "proto3";\npackage google.type;\nmessage Date { int32 year = 1; int32 month = 2; int32 day = 3; }\n',
  'google/type/money.proto': 'syntax = "proto3";\npackage google.type;\nmessage Money { string currency_code = 1; int64 units = 2; int32 nanos = 3; }\n',
  'google/type/timeofday.proto':
    'syntax = "proto3";\npackage google.type;\nmessage TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }\n',
  'google/type/latlng.proto': 'syntax = "proto3";\npackage google.type;\nmessage LatLng { double latitude = 1; double longitude = 2; }\n',
  'google/type/decimal.proto': 'syntax = "proto3";\npackage google.type;\nmessage Decimal { string value = 1; }\n',
  'google/type/dayofweek.proto':
    'syntax = "proto3";\npackage google.type;\nenum DayOfWeek { DAY_OF_WEEK_UNSPECIFIED = 0; MONDAY = 1; TUESDAY = 2; WEDNESDAY = 3; THURSDAY = 4; FRIDAY = 5; SATURDAY = 6; SUNDAY = 7; }\n',
};

/** The proto source of a built-in import, or undefined when the import needs a reference. */
export function wellKnownSource(path: string): string | undefined {
  return CONFLUENT[path] ?? GOOGLE_TYPE[path];
}

/** google/protobuf/*.proto ship with protobufjs as JSON descriptors (descriptor.proto included). */
export const isGoogleProtobuf = (path: string) => path.startsWith('google/protobuf/');
