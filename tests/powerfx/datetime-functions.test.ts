import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateFormula, parseFormula, PowerFxError } from '../../src/copilot/powerfx';
import { environmentOf, fixedNow, run } from './environment.fixture';

const utc = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date =>
  new Date(Date.UTC(year, month - 1, day, hour, minute, second));

test('Now and Today come from env.now(), never the wall clock', () => {
  assert.deepEqual(run('=Now()'), new Date(fixedNow));
  assert.deepEqual(run('=Today()'), utc(2024, 5, 17));
  const later = environmentOf({}, Date.UTC(2030, 0, 2, 3, 4, 5));
  assert.deepEqual(evaluateFormula(parseFormula('=Now()'), later), utc(2030, 1, 2, 3, 4, 5));
  assert.equal(run('=IsToday(Topic.D)', { Topic: { D: '2024-05-17T23:00:00Z' } }), true);
});

test('DateValue reads ISO, US and month-name dates and drops the time', () => {
  assert.deepEqual(run('=DateValue("2024-01-31")'), utc(2024, 1, 31));
  assert.deepEqual(run('=DateValue("1/31/2024")'), utc(2024, 1, 31));
  assert.deepEqual(run('=DateValue("January 31, 2024")'), utc(2024, 1, 31));
  assert.deepEqual(run('=DateValue("2024-01-31T18:30:00Z")'), utc(2024, 1, 31));
  assert.equal(run('=DateValue("")'), undefined);
  assert.throws(() => run('=DateValue("someday")'), (error: unknown) => error instanceof PowerFxError && error.errorKind === 'InvalidArgument');
});

test('DateTimeValue keeps the time and honours offsets; TimeValue reads a time of day', () => {
  assert.deepEqual(run('=DateTimeValue("2024-01-31T18:30:00+02:00")'), utc(2024, 1, 31, 16, 30));
  assert.deepEqual(run('=DateTimeValue("1/31/2024 6:30 PM")'), utc(2024, 1, 31, 18, 30));
  assert.equal(run('=Text(TimeValue("14:05"), "hh:mm")'), '14:05');
  assert.equal(run('=Hour(TimeValue("2:05 PM"))'), 14);
});

test('DateAdd moves by any TimeUnit; months keep the day when it exists', () => {
  assert.deepEqual(run('=DateAdd(Today(), 2)'), utc(2024, 5, 19));
  assert.deepEqual(run('=DateAdd(Now(), -90, TimeUnit.Minutes)'), utc(2024, 5, 17, 12, 15, 30));
  assert.deepEqual(run('=DateAdd(DateValue("2024-01-31"), 1, TimeUnit.Months)'), utc(2024, 2, 29));
  assert.deepEqual(run('=DateAdd(DateValue("2024-02-29"), 1, TimeUnit.Years)'), utc(2025, 2, 28));
  assert.equal(run('=Text(DateAdd(Now(), 2, TimeUnit.Days), DateTimeFormat.LongDate)'), 'Sunday, May 19, 2024');
});

test('DateDiff counts unit boundaries between two dates', () => {
  assert.equal(run('=DateDiff(DateValue("2024-01-01"), Today())'), 137);
  assert.equal(run('=DateDiff(DateValue("2024-05-17"), DateValue("2024-05-10"), TimeUnit.Days)'), -7);
  assert.equal(run('=DateDiff(DateTimeValue("2024-05-17T13:00:00Z"), Now(), TimeUnit.Minutes)'), 45);
  assert.equal(run('=DateDiff(DateTimeValue("2024-05-17T13:45:29Z"), Now(), TimeUnit.Seconds)'), 1);
  assert.equal(run('=DateDiff(DateTimeValue("2024-05-17T11:59:59Z"), Now(), TimeUnit.Hours)'), 2);
  assert.equal(run('=DateDiff(DateValue("2024-01-31"), DateValue("2024-02-01"), TimeUnit.Months)'), 1);
  assert.equal(run('=DateDiff(DateValue(Topic.Birth), Today(), TimeUnit.Years)', { Topic: { Birth: '1990-12-31' } }), 34);
});

test('Year, Month, Day, Hour, Minute, Second and Weekday read parts of a date', () => {
  assert.deepEqual([run('=Year(Now())'), run('=Month(Now())'), run('=Day(Now())')], [2024, 5, 17]);
  assert.deepEqual([run('=Hour(Now())'), run('=Minute(Now())'), run('=Second(Now())')], [13, 45, 30]);
  assert.equal(run('=Weekday(Today())'), 6);
  assert.equal(run('=Weekday(Today(), StartOfWeek.Monday)'), 5);
  assert.equal(run('=Weekday(Today(), StartOfWeek.MondayZero)'), 4);
});

test('Date, DateTime and Time build values', () => {
  assert.deepEqual(run('=Date(2024, 12, 25)'), utc(2024, 12, 25));
  assert.deepEqual(run('=DateTime(2024, 12, 25, 8, 30, 0)'), utc(2024, 12, 25, 8, 30));
  assert.equal(run('=Text(Time(18, 5, 0))'), '6:05 PM');
  assert.deepEqual(run('=Date(2024, 1, 2) + Time(3, 0, 0)'), utc(2024, 1, 2, 3));
});
