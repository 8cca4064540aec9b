// Cases after upstream's labels/selector_test.go (TestSelectorParse, TestSelectorMatches,
// TestSetSelectorParser, TestToString) and metav1 LabelSelectorAsSelector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { labelSelectorFromObject, parseLabelSelector, selectorFromSet, LabelSelector } from './label-selector.js';

const roundTrips: [input: string, canonical: string][] = [
  ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
  ['', ''],
  ['x!=a,y=b', 'x!=a,y=b'],
  ['x=', 'x='],
  ['x= ', 'x='],
  ['x=,z= ', 'x=,z='],
  ['x= ,z= ', 'x=,z='],
  ['!x', '!x'],
  ['x>1', 'x>1'],
  ['x>1,z<5', 'x>1,z<5'],
  ['x==a', 'x==a'],
  ['z=c,y=b,x=a', 'x=a,y=b,z=c'], // sorted by key
  ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
  ['x in (foo,bar,baz),y,z notin ()', 'x in (bar,baz,foo),y,z notin ()'],
  ['x notin (in,notin)', 'x notin (in,notin)'],
  ['in in (in)', 'in in (in)'],
  ['x in (,a)', 'x in (,a)'],
  ['x in (a,)', 'x in (,a)'],
  ['x in (a,,b)', 'x in (,a,b)'],
  ['x in ()', 'x in ()'],
  ['  x  in  ( a , b )  ', 'x in (a,b)'],
  ['tier,!canary,example.com/app=web', '!canary,example.com/app=web,tier'], // sorted by key, not text
  ['x<10', 'x<10'],
];

for (const [input, canonical] of roundTrips) {
  test(`label selector parses ${JSON.stringify(input)}`, () => {
    assert.equal(parseLabelSelector(input).toString(), canonical);
  });
}

const KEY_ERR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const badStrings: [input: string, message: string][] = [
  // '|' is not an operator: "a||y" lexes as one value, then fails label-value validation.
  ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_ERR}`],
  ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${VALUE_ERR}`],
  ['x==a==b', "found '==', expected: ',' or 'end of string'"],
  ['!x=a', "found '=', expected: ',' or 'end of string'"],
  ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
  ['x>1.5', `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`],
  ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
  ['x in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
  ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
  ['x in a', "unable to parse requirement: found 'a' expected: '('"],
  ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
  ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
  ['x=(', "unable to parse requirement: found '(', expected: identifier"],
  ['a,', "found '', expected: identifier after ','"],
  [',a', "found ',', expected: !, identifier, or 'end of string'"],
  ['!', "unable to parse requirement: found '', expected: identifier"],
  ['a:', `unable to parse requirement: <nil>: Invalid value: "a:": ${KEY_ERR}`],
  ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${VALUE_ERR}`],
  [
    'x in (-a,-b)',
    `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${VALUE_ERR}, values[1][x]: Invalid value: "-b": ${VALUE_ERR}]`,
  ],
  ['/a=b', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
];

for (const [input, message] of badStrings) {
  test(`label selector rejects ${JSON.stringify(input)} with a 400`, () => {
    assert.throws(
      () => parseLabelSelector(input),
      (err: unknown) => {
        assert.ok(err instanceof StatusError);
        assert.equal(err.code, 400);
        assert.equal(err.reason, 'BadRequest');
        assert.equal(err.message, message);
        return true;
      },
    );
  });
}

const matchCases: [selector: string, labels: Record<string, string>, matches: boolean][] = [
  ['', { x: 'y' }, true],
  ['x=y', { x: 'y' }, true],
  ['x=y,z=w', { x: 'y', z: 'w' }, true],
  ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
  ['notin=in', { notin: 'in' }, true],
  ['x', { x: 'z' }, true],
  ['!x', { y: 'z' }, true],
  ['x>1', { x: '2' }, true],
  ['x<1', { x: '0' }, true],
  ['x in (a,b)', { x: 'b' }, true],
  ['x notin (a,b)', { x: 'c' }, true],
  ['x notin (a,b)', {}, true],
  ['x in ()', { x: '' }, true],
  ['x=', { x: '' }, true],
  ['x=z', {}, false],
  ['x=y', { x: 'z' }, false],
  ['x=y,z=w', { x: 'w', z: 'w' }, false],
  ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
  ['x', { y: 'z' }, false],
  ['!x', { x: 'z' }, false],
  ['x>1', { x: '0' }, false],
  ['x<1', { x: '2' }, false],
  ['x>1', { x: 'abc' }, false],
  ['x>1', {}, false],
  ['x in (a,b)', {}, false],
  ['x notin (a,b)', { x: 'a' }, false],
  ['x=', {}, false],
];

for (const [selector, labels, want] of matchCases) {
  test(`label selector ${JSON.stringify(selector)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
    assert.equal(parseLabelSelector(selector).matches(labels), want);
  });
}

test('labelSelectorFromObject: nil matches nothing, empty matches everything', () => {
  assert.equal(labelSelectorFromObject(undefined).matches({ a: 'b' }), false);
  assert.equal(labelSelectorFromObject(null).matches({}), false);
  assert.equal(labelSelectorFromObject(undefined).empty(), false);
  assert.equal(labelSelectorFromObject({}).matches({ a: 'b' }), true);
  assert.equal(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).empty(), true);
});

test('labelSelectorFromObject: matchLabels and matchExpressions are ANDed', () => {
  const sel = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['fe', 'be'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
    ],
  });
  assert.equal(sel.toString(), 'app=web,!canary,env notin (dev),team,tier in (be,fe)');
  assert.equal(sel.matches({ app: 'web', tier: 'fe', team: 'x' }), true);
  assert.equal(sel.matches({ app: 'web', tier: 'fe', team: 'x', canary: '1' }), false);
  assert.equal(sel.matches({ app: 'web', tier: 'fe', team: 'x', env: 'dev' }), false);
  assert.equal(sel.matches({ app: 'web', tier: 'fe' }), false);
  assert.equal(sel.requiresExactMatch('app'), 'web');
  assert.equal(sel.requiresExactMatch('tier'), undefined);
});

test('labelSelectorFromObject: invalid operators, values and keys are errors', () => {
  const cases: [Parameters<typeof labelSelectorFromObject>[0], string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { 'a b': 'c' } }, `key: Invalid value: "a b": ${KEY_ERR}`],
  ];
  for (const [sel, message] of cases) {
    assert.throws(
      () => labelSelectorFromObject(sel),
      (err: unknown) => err instanceof StatusError && err.code === 400 && err.message === message,
      message,
    );
  }
});

test('selectorFromSet: key=value for each entry; nil and empty select everything', () => {
  const sel = selectorFromSet({ tier: 'fe', app: 'web' });
  assert.equal(sel.toString(), 'app=web,tier=fe');
  assert.equal(sel.matches({ app: 'web', tier: 'fe', extra: 'x' }), true);
  assert.equal(sel.matches({ app: 'web' }), false);
  assert.equal(selectorFromSet(undefined).matches({ any: 'thing' }), true);
  assert.equal(selectorFromSet({}).empty(), true);
  assert.equal(LabelSelector.nothing().matches({}), false);
});

test('label selector matching treats missing labels objects as empty', () => {
  assert.equal(parseLabelSelector('!a').matches(undefined), true);
  assert.equal(parseLabelSelector('a').matches(null), false);
});
