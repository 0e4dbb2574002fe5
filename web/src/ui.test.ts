import { afterEach, describe, expect, it } from 'vitest';
import { ProblemError } from './api';
import { setLocale } from './i18n';
import { problemTitle } from './ui';

afterEach(() => setLocale('en'));

describe('problem titles', () => {
  it("names a known problem type in the console's language, an unknown one as the server does", () => {
    const invalid = new ProblemError(422, 'urn:parley:problem:validation-error', 'The input is not valid', 'name: is required', []);
    const other = new ProblemError(418, 'urn:parley:problem:teapot', "I'm a teapot", '', []);
    expect(problemTitle(invalid)).toBe('The input is not valid');
    setLocale('ru');
    expect(problemTitle(invalid)).toBe('Введённые данные неверны');
    expect(problemTitle(other)).toBe("I'm a teapot");
  });
});
