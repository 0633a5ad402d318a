// Avro types as the TypeScript a person would write, matching how avsc hands values over.
import { docComment, nestedTypeName, propertyKey } from './names.js';
import { deref, type AvroNode, type NameTable, type NamedNode } from '../formats/avro/ast.js';

/** The JavaScript "bucket" avsc uses to tell union branches apart; branches sharing one make avsc wrap the union. */
function bucket(node: AvroNode, names: NameTable): string {
  const t = deref(node, names);
  switch (t.kind) {
    case 'primitive':
      return { null: 'null', boolean: 'boolean', int: 'number', long: 'number', float: 'number', double: 'number', bytes: 'buffer', string: 'string' }[t.type];
    case 'enum':
      return 'string';
    case 'fixed':
      return 'buffer';
    case 'array':
      return 'array';
    default:
      return 'object';
  }
}

/** Emits the declarations for one version of an event: the root interface and every named type it defines. */
export function avroDeclarations(root: AvroNode, names: NameTable, rootName: string, event: string, version: number): string {
  const declared = new Map<string, string>(); // full name → TS name
  const out: string[] = [];

  const nameOf = (n: NamedNode) => {
    let ts = declared.get(n.fullname);
    if (!ts) {
      ts = n === root ? rootName : nestedTypeName(event, version, n.name);
      declared.set(n.fullname, ts);
      emit(n, ts);
    }
    return ts;
  };

  const ref = (node: AvroNode): string => {
    const t = deref(node, names);
    switch (t.kind) {
      case 'primitive':
        return { null: 'null', boolean: 'boolean', int: 'number', long: 'number', float: 'number', double: 'number', bytes: 'Buffer', string: 'string' }[t.type];
      case 'array':
        return `${wrap(ref(t.items))}[]`;
      case 'map':
        return `Record<string, ${ref(t.values)}>`;
      case 'union': {
        const buckets = t.branches.map((b) => bucket(b, names));
        if (new Set(buckets).size === buckets.length) return t.branches.map(ref).join(' | ');
        // avsc wraps ambiguous unions: `{ "com.acme.Card": {...} }`; null stays bare.
        return t.branches
          .map((b) => {
            const d = deref(b, names);
            if (d.kind === 'primitive' && d.type === 'null') return 'null';
            const key = 'fullname' in d ? d.fullname : d.kind === 'primitive' ? d.type : d.kind;
            return `{ ${JSON.stringify(key)}: ${ref(b)} }`;
          })
          .join(' | ');
      }
      default:
        return nameOf(t);
    }
  };

  const wrap = (type: string) => (/[|&]/.test(type) ? `(${type})` : type);

  // A type takes its place before the types its fields name: the event first, as a person would order them.
  function emit(n: NamedNode, ts: string) {
    const slot = out.push('') - 1;
    const doc = docComment(n.doc);
    if (n.kind === 'enum') {
      out[slot] = `${doc}export type ${ts} = ${n.symbols.map((s) => JSON.stringify(s)).join(' | ')};`;
    } else if (n.kind === 'fixed') {
      out[slot] = `${doc}/** ${n.size} bytes. */\nexport type ${ts} = Buffer;`;
    } else {
      const fields = n.fields.map((f) => {
        const logical = typeof f.type === 'object' && 'props' in f.type ? f.type.props.find(([k]) => k === 'logicalType')?.[1] : undefined;
        const note = [f.doc, logical ? `Avro logical type ${String(logical)}.` : undefined].filter(Boolean).join(' ');
        return `${docComment(note, '  ')}  ${propertyKey(f.name)}: ${ref(f.type)};`;
      });
      out[slot] = `${doc}export interface ${ts} {\n${fields.join('\n')}\n}`;
    }
  }

  const rootType = deref(root, names);
  if (rootType.kind === 'record' || rootType.kind === 'enum' || rootType.kind === 'fixed') nameOf(rootType);
  else out.push(`export type ${rootName} = ${ref(root)};`);
  return out.join('\n\n');
}
