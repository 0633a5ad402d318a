// One type from each .proto file Accord bundles (Confluent's known dependencies), for tests that import every one.

export interface BundledType {
  path: string;
  /** A message or enum the file defines, by full name. */
  type: string;
  kind: 'message' | 'enum';
}

export const BUNDLED_TYPES: BundledType[] = [
  { path: 'confluent/meta.proto', type: 'confluent.Meta', kind: 'message' },
  { path: 'confluent/type/decimal.proto', type: 'confluent.type.Decimal', kind: 'message' },
  { path: 'google/protobuf/any.proto', type: 'google.protobuf.Any', kind: 'message' },
  { path: 'google/protobuf/api.proto', type: 'google.protobuf.Api', kind: 'message' },
  { path: 'google/protobuf/descriptor.proto', type: 'google.protobuf.FileDescriptorProto', kind: 'message' },
  { path: 'google/protobuf/duration.proto', type: 'google.protobuf.Duration', kind: 'message' },
  { path: 'google/protobuf/empty.proto', type: 'google.protobuf.Empty', kind: 'message' },
  { path: 'google/protobuf/field_mask.proto', type: 'google.protobuf.FieldMask', kind: 'message' },
  { path: 'google/protobuf/source_context.proto', type: 'google.protobuf.SourceContext', kind: 'message' },
  { path: 'google/protobuf/struct.proto', type: 'google.protobuf.Struct', kind: 'message' },
  { path: 'google/protobuf/timestamp.proto', type: 'google.protobuf.Timestamp', kind: 'message' },
  { path: 'google/protobuf/type.proto', type: 'google.protobuf.Type', kind: 'message' },
  { path: 'google/protobuf/wrappers.proto', type: 'google.protobuf.StringValue', kind: 'message' },
  { path: 'google/type/calendar_period.proto', type: 'google.type.CalendarPeriod', kind: 'enum' },
  { path: 'google/type/color.proto', type: 'google.type.Color', kind: 'message' },
  { path: 'google/type/date.proto', type: 'google.type.Date', kind: 'message' },
  { path: 'google/type/datetime.proto', type: 'google.type.DateTime', kind: 'message' },
  { path: 'google/type/dayofweek.proto', type: 'google.type.DayOfWeek', kind: 'enum' },
  { path: 'google/type/decimal.proto', type: 'google.type.Decimal', kind: 'message' },
  { path: 'google/type/expr.proto', type: 'google.type.Expr', kind: 'message' },
  { path: 'google/type/fraction.proto', type: 'google.type.Fraction', kind: 'message' },
  { path: 'google/type/interval.proto', type: 'google.type.Interval', kind: 'message' },
  { path: 'google/type/latlng.proto', type: 'google.type.LatLng', kind: 'message' },
  { path: 'google/type/localized_text.proto', type: 'google.type.LocalizedText', kind: 'message' },
  { path: 'google/type/money.proto', type: 'google.type.Money', kind: 'message' },
  { path: 'google/type/month.proto', type: 'google.type.Month', kind: 'enum' },
  { path: 'google/type/phone_number.proto', type: 'google.type.PhoneNumber', kind: 'message' },
  { path: 'google/type/postal_address.proto', type: 'google.type.PostalAddress', kind: 'message' },
  { path: 'google/type/quaternion.proto', type: 'google.type.Quaternion', kind: 'message' },
  { path: 'google/type/timeofday.proto', type: 'google.type.TimeOfDay', kind: 'message' },
];

/** A schema whose one field has `t`'s type, importing its file. */
export const schemaUsing = (t: { path: string; type: string }) =>
  `syntax = "proto3";\npackage app.v1;\n\nimport "${t.path}";\n\nmessage Event {\n  string id = 1;\n  ${t.type} value = 2;\n}\n`;

/** What a field of type `t` changes to in the incompatible update: Money, or Color for Money itself. */
export const otherThan = (t: { type: string }) =>
  t.type === 'google.type.Money' ? { path: 'google/type/color.proto', type: 'google.type.Color' } : { path: 'google/type/money.proto', type: 'google.type.Money' };
