import { describe, expect, it } from 'vitest';
import { describeIncompatibilities, incompatibilitiesOf } from './incompatibilities.js';

describe('incompatibilitiesOf', () => {
  it("prefers Accord's structured list", () => {
    const found = incompatibilitiesOf({ incompatibilities: [{ rule: 'TYPE_MISMATCH', path: '/fields/1/type', message: "Field 'total' changed type.", oldVersion: 2 }], messages: ['ignored'] });
    expect(found).toEqual([{ rule: 'TYPE_MISMATCH', path: '/fields/1/type', message: "Field 'total' changed type.", oldVersion: 2 }]);
    expect(describeIncompatibilities(found)).toBe("TYPE_MISMATCH at /fields/1/type: Field 'total' changed type. (against version 2)");
  });

  it("reads Confluent's verbose strings (CP 7+), quotes inside the description and all", () => {
    const messages = [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema', additionalInfo:'currency'}",
      '{oldSchemaVersion: 3}',
      "{oldSchema: '{\"type\":\"record\"}'}",
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ];
    expect(incompatibilitiesOf({ messages })).toEqual([
      { rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/4', message: "The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema", oldVersion: 3 },
    ]);
  });

  it('reads a 409 message, its details inline, and the pre-7 Incompatibility{…} form', () => {
    const message =
      'Schema being registered is incompatible with an earlier schema for subject "s", details: [{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path \'#/Shipment/4\' in the new schema does not match its kind in the old schema"}, {oldSchemaVersion: 1}]';
    expect(incompatibilitiesOf({ message })).toEqual([
      { rule: 'FIELD_SCALAR_KIND_CHANGED', path: '#/Shipment/4', message: "The kind of a SCALAR field at path '#/Shipment/4' in the new schema does not match its kind in the old schema", oldVersion: 1 },
    ]);
    expect(incompatibilitiesOf({ messages: ['Incompatibility{type:TYPE_MISMATCH, location:/fields/0/type, message:reader type: STRING not compatible with writer type: INT, reader:{}, writer:{}}'] })).toEqual([
      { rule: 'TYPE_MISMATCH', path: '/fields/0/type', message: 'reader type: STRING not compatible with writer type: INT' },
    ]);
  });

  it('anything else is one INCOMPATIBLE finding with the first meaningful message, never the old schema', () => {
    expect(incompatibilitiesOf({ messages: ["{oldSchema: '{}'}", 'Schema is not compatible\nwith the old one'] })).toEqual([{ rule: 'INCOMPATIBLE', path: '/', message: 'Schema is not compatible with the old one' }]);
    expect(incompatibilitiesOf({ message: 'Schema being registered is incompatible with an earlier schema for subject "s", details: [something]' })).toEqual([
      { rule: 'INCOMPATIBLE', path: '/', message: 'Schema being registered is incompatible with an earlier schema for subject "s"' },
    ]);
  });
});
