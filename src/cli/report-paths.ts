// Where CI tools expect a finding's file: relative to the job's working directory (the repository), with `/`.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The path relative to the working directory with `/`, or undefined when the file is outside it. */
function inside(file: string): string | undefined {
  const path = relative(process.cwd(), resolve(file));
  return path.startsWith('..') || isAbsolute(path) ? undefined : path.split(sep).join('/');
}

/** The path relative to the working directory when the file is inside it, else the path as given. */
export const workingPath = (file: string): string => inside(file) ?? file;

/** A URI for the file: relative (to %SRCROOT%, the working directory) when inside it, else a file: URL. */
export function repositoryPath(file: string): { uri: string; relativeToRoot: boolean } {
  const path = inside(file);
  if (path === undefined) return { uri: pathToFileURL(resolve(file)).href, relativeToRoot: false };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), relativeToRoot: true };
}
