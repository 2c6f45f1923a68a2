import { apiOperationOf } from '../../src/salesforce/api-operation';
import { soqlDateTime, soqlEquals, soqlString } from '../../src/salesforce/soql';

describe('soql literals', () => {
  it('escapes quotes, backslashes and line breaks so a referral name cannot break out of the string', () => {
    expect(soqlString("O'Brien \\ Sons\n")).toBe("'O\\'Brien \\\\ Sons\\n'");
    expect(soqlEquals(null)).toBe('= null');
    expect(soqlEquals('SE')).toBe("= 'SE'");
  });

  it('formats dateTime literals in UTC without milliseconds', () => {
    expect(soqlDateTime(new Date('2019-11-11T13:11:05.123+0000'))).toBe('2019-11-11T13:11:05Z');
  });
});

describe('apiOperationOf', () => {
  it.each([
    ['GET', 'http://127.0.0.1:1/services/data/v62.0/query?q=SELECT+Id', 'GET query'],
    [
      'GET',
      'http://127.0.0.1:1/services/data/v62.0/query/01gD0000002HU6KIAW-2000',
      'GET query/{id}',
    ],
    [
      'PATCH',
      'http://127.0.0.1:1/services/data/v62.0/composite/sobjects',
      'PATCH composite/sobjects',
    ],
    [
      'GET',
      'http://127.0.0.1:1/services/data/v62.0/sobjects/Opportunity/006000000000001AAA',
      'GET sobjects/Opportunity/{id}',
    ],
    ['POST', 'http://127.0.0.1:1/services/oauth2/token', 'POST oauth2/token'],
  ])('%s %s → %s', (method, url, expected) => {
    expect(apiOperationOf(method, url)).toBe(expected);
  });
});
