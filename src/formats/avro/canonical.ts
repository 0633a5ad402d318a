// Prints a parsed Avro tree back as JSON text, in the forms Confluent uses.
import { qualify, type AvroNode, type FieldNode, type NameTable, type NamedNode, type Props } from './ast.js';

export interface PrintOptions {
  /** Full names everywhere, custom properties and aliases sorted: Confluent's normalize=true. */
  normalize?: boolean;
  /** Types that come from references are written out in full where first used (`format=resolved`). */
  inline?: boolean;
  /** Uses of types in no namespace are written `.Name`, as avsc needs to tell them from the enclosing namespace. */
  absoluteRefs?: boolean;
}

/** Java Avro's compact toString() (Confluent's canonical text) unless options say otherwise. */
export function printAvro(root: AvroNode, names: NameTable, options: PrintOptions = {}): string {
  return new Printer(names, options).node(root, null);
}

const str = (s: string) => JSON.stringify(s);

class Printer {
  /** Named types already written in full (or known from references), so later uses print as names. */
  private readonly written = new Set<string>();

  constructor(
    private readonly names: NameTable,
    private readonly options: PrintOptions,
  ) {}

  node(node: AvroNode, ns: string | null): string {
    switch (node.kind) {
      case 'primitive':
        return node.props.length === 0 ? str(node.type) : `{"type":${str(node.type)}${this.props(node.props)}}`;
      case 'array':
        return `{"type":"array","items":${this.node(node.items, ns)}${this.props(node.props)}}`;
      case 'map':
        return `{"type":"map","values":${this.node(node.values, ns)}${this.props(node.props)}}`;
      case 'union':
        return `[${node.branches.map((b) => this.node(b, ns)).join(',')}]`;
      case 'ref': {
        const target = this.names.get(node.fullname);
        if (this.options.inline && target && !this.written.has(node.fullname)) return this.named(target, ns);
        return str(this.nameRef(node.fullname, ns));
      }
      default:
        if (this.written.has(node.fullname)) return str(this.nameRef(node.fullname, ns));
        return this.named(node, ns);
    }
  }

  private named(node: NamedNode, ns: string | null): string {
    this.written.add(node.fullname);
    const inner = node.namespace;
    let out = `{"type":${str(node.kind === 'record' && node.isError ? 'error' : node.kind)},${this.nameAndNamespace(node, ns)}`;
    if (node.doc !== undefined) out += `,"doc":${str(node.doc)}`;
    switch (node.kind) {
      case 'record':
        out += `,"fields":[${node.fields.map((f) => this.field(f, inner)).join(',')}]`;
        break;
      case 'enum':
        out += `,"symbols":[${node.symbols.map(str).join(',')}]`;
        if (node.default !== undefined) out += `,"default":${str(node.default)}`;
        break;
      case 'fixed':
        out += `,"size":${node.size}`;
        break;
    }
    out += this.props(node.props);
    if (node.aliases.length > 0) {
      const aliases = this.options.normalize ? [...node.aliases].sort() : node.aliases.map((a) => qualify(a, inner));
      out += `,"aliases":[${aliases.map(str).join(',')}]`;
    }
    return `${out}}`;
  }

  private field(field: FieldNode, ns: string | null): string {
    let out = `{"name":${str(field.name)},"type":${this.node(field.type, ns)}`;
    if (field.doc !== undefined) out += `,"doc":${str(field.doc)}`;
    if (field.default !== undefined) out += `,"default":${JSON.stringify(field.default.value)}`;
    if (field.order !== 'ascending') out += `,"order":${str(field.order)}`;
    if (field.aliases.length > 0) {
      const aliases = this.options.normalize ? [...field.aliases].sort() : field.aliases;
      out += `,"aliases":[${aliases.map(str).join(',')}]`;
    }
    return `${out}${this.props(field.props)}}`;
  }

  /** Java's writeName: the namespace appears only where it differs from the enclosing one ("" to leave one). */
  private nameAndNamespace(node: NamedNode, ns: string | null): string {
    if (this.options.normalize) return `"name":${str(node.fullname)}${node.namespace === null && ns !== null ? ',"namespace":""' : ''}`;
    let out = `"name":${str(node.name)}`;
    if (node.namespace !== null) {
      if (node.namespace !== ns) out += `,"namespace":${str(node.namespace)}`;
    } else if (ns !== null) {
      out += ',"namespace":""';
    }
    return out;
  }

  private nameRef(fullname: string, ns: string | null): string {
    if (this.options.absoluteRefs && !fullname.includes('.')) return `.${fullname}`;
    return this.options.normalize ? fullname : qualify(fullname, ns);
  }

  private props(props: Props): string {
    const list = this.options.normalize ? [...props].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : props;
    return list.map(([k, v]) => `,${str(k)}:${JSON.stringify(v)}`).join('');
  }
}
