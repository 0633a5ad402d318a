import { describe, expect, it } from 'vitest';
import { credentialEnvOf, registryTarget } from './registry-target.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('registryTarget', () => {
  it('strips the trailing slash and keeps a path prefix', () => {
    expect(registryTarget('http://localhost:8081/', '--registry')).toEqual({ url: 'http://localhost:8081', source: '--registry', secrets: [] });
    expect(registryTarget('https://proxy.example.com/registry/', '--registry').url).toBe('https://proxy.example.com/registry');
  });

  it('userinfo becomes Basic credentials and leaves the URL', () => {
    const target = registryTarget('https://ci%40acme:p%40ss:w0rd@registry.example.com/', '--registry');
    expect(target.url).toBe('https://registry.example.com');
    expect(target.authorization).toBe(basic('ci@acme', 'p@ss:w0rd'));
    expect(target.secrets).toContain('p@ss:w0rd');
  });

  it('ACCORD_REGISTRY_TOKEN is a bearer token; ACCORD_REGISTRY_USER and _PASSWORD are Basic', () => {
    expect(registryTarget('http://r', 'ACCORD_REGISTRY', { ACCORD_REGISTRY_TOKEN: 'tok-123' }).authorization).toBe('Bearer tok-123');
    expect(registryTarget('http://r', 'ACCORD_REGISTRY', { ACCORD_REGISTRY_USER: 'key', ACCORD_REGISTRY_PASSWORD: 'secret' }).authorization).toBe(basic('key', 'secret'));
    // Empty variables count as unset; the URL's own credentials win over the environment's.
    expect(registryTarget('http://r', '--registry', { ACCORD_REGISTRY_TOKEN: '' }).authorization).toBeUndefined();
    expect(registryTarget('http://u:p@r', '--registry', { ACCORD_REGISTRY_TOKEN: 'tok' }).authorization).toBe(basic('u', 'p'));
  });

  it.each([
    ['localhost:8081', {}, "--registry 'localhost:8081' is not an http or https URL"],
    ['not a url', {}, "--registry 'not a url' is not a URL; give http(s)://host[:port][/path]"],
    ['http://u:hunter2@', {}, "--registry 'http://***@' is not a URL; give http(s)://host[:port][/path]"],
    ['http://r?x=1', {}, "--registry must be the registry's base URL, without a query or fragment"],
    ['http://r', { ACCORD_REGISTRY_TOKEN: 't', ACCORD_REGISTRY_USER: 'u' }, 'both ACCORD_REGISTRY_TOKEN and ACCORD_REGISTRY_USER/ACCORD_REGISTRY_PASSWORD are set; unset one'],
    ['http://r', { ACCORD_REGISTRY_USER: 'u' }, 'ACCORD_REGISTRY_USER is set but ACCORD_REGISTRY_PASSWORD is not'],
    ['http://r', { ACCORD_REGISTRY_PASSWORD: 'p' }, 'ACCORD_REGISTRY_PASSWORD is set but ACCORD_REGISTRY_USER is not'],
  ])('%s with %j is refused, without echoing a secret', (raw, env, message) => {
    expect(() => registryTarget(raw, '--registry', env)).toThrow(message);
  });

  it("reads a second registry's credentials from its own variables (accord migrate --from: ACCORD_SOURCE_*)", () => {
    const names = credentialEnvOf('SOURCE');
    const env = { ACCORD_REGISTRY_TOKEN: 'target-token', ACCORD_SOURCE_USER: 'u', ACCORD_SOURCE_PASSWORD: 'source-secret' };
    expect(registryTarget('http://old:8081', '--from', env, names)).toEqual({
      url: 'http://old:8081',
      source: '--from',
      authorization: basic('u', 'source-secret'),
      secrets: ['source-secret'],
      credentialEnv: names,
    });
    expect(() => registryTarget('http://old:8081', '--from', { ACCORD_SOURCE_USER: 'u' }, names)).toThrow('ACCORD_SOURCE_USER is set but ACCORD_SOURCE_PASSWORD is not');
  });
});
