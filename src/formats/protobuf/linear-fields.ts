// protobufjs 8 adds a field in time proportional to the fields already there: Type#add checks the new id against
// `fieldsById`, an index it then throws away, so the next add rebuilds it from every field (a 20,000-field message took
// over a minute). Here the index is kept up to date instead: the same checks and the same index, built once per type.
import protobuf from 'protobufjs';

interface IndexedType {
  fieldsById: Record<number, protobuf.Field>;
  _fieldsById: Record<number, protobuf.Field> | null;
  fields: Record<string, protobuf.Field>;
}

const PATCHED = Symbol.for('accord.protobufjs.linearFieldAdd');
const prototype = protobuf.Type.prototype as unknown as Record<symbol, boolean> & { add(object: protobuf.ReflectionObject): protobuf.Type };

if (!prototype[PATCHED]) {
  const add = prototype.add;
  prototype.add = function addKeepingIndex(this: protobuf.Type, object: protobuf.ReflectionObject): protobuf.Type {
    const type = this as unknown as IndexedType;
    const isField = object instanceof protobuf.Field && object.extend === undefined;
    // The getter builds the index only when none is kept (the first add, or after a remove).
    const index = isField ? type.fieldsById : null;
    const result = add.call(this, object);
    if (index && type.fields[object.name] === object) {
      index[(object as protobuf.Field).id] = object as protobuf.Field;
      type._fieldsById = index;
    }
    return result;
  };
  prototype[PATCHED] = true;
}
