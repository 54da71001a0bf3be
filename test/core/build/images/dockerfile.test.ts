import { DockerfileParser, type Env, type Label } from 'dockerfile-ast';
import { dockerQuote, DockerfileWriter, execForm, GENERATED_HEADER } from '../../../../lib/core/build/dockerfile';
import { parseDockerfile, readDoubleQuoted } from './support';

describe('DockerfileWriter', () => {
  it('quotes ENV and LABEL values so the builder reads them back unchanged, without substitution', () => {
    const tricky = 'a "quoted" $HOME ${X} \\ back slash';
    const text = new DockerfileWriter().from('debian:12.8').env('TRICKY', tricky).label('com.example.note', tricky).user('1000:1000').toString();
    const dockerfile = DockerfileParser.parse(text);
    const env = dockerfile.getInstructions().find((i) => i.getKeyword() === 'ENV') as Env;
    const label = dockerfile.getInstructions().find((i) => i.getKeyword() === 'LABEL') as Label;
    expect(env.getProperties().map((p) => [p.getName(), readDoubleQuoted(p.getUnescapedValue()!)])).toEqual([['TRICKY', tricky]]);
    expect(label.getProperties().map((p) => [p.getName(), readDoubleQuoted(p.getUnescapedValue()!)])).toEqual([['com.example.note', tricky]]);
    expect(env.getVariables()).toEqual([]);
    expect(label.getVariables()).toEqual([]);
  });

  it('uses the JSON form of COPY for paths with spaces and exec form for RUN, ENTRYPOINT and CMD', () => {
    const text = new DockerfileWriter()
      .from('debian:12.8')
      .copy('code/', '/srv/my model/')
      .run(['install', '-d', '/a b'])
      .entrypoint(['python3', '-c', 'print("$HOME")'])
      .cmd([])
      .toString();
    const instructions = parseDockerfile(text);
    expect(instructions.map((i) => `${i.keyword} ${i.args}`)).toEqual([
      'FROM debian:12.8',
      'COPY ["code/", "/srv/my model/"]',
      'RUN ["install", "-d", "/a b"]',
      'ENTRYPOINT ["python3", "-c", "print(\\"$HOME\\")"]',
      'CMD []',
    ]);
    expect(JSON.parse(instructions[3]!.args)).toEqual(['python3', '-c', 'print("$HOME")']);
  });

  it('starts with the generated header, which is not a parser directive, and ends with one newline', () => {
    const text = new DockerfileWriter().comment('two\nlines').from('debian:12.8').blank().blank().toString();
    expect(text).toBe(`${GENERATED_HEADER}\n# two\n# lines\nFROM debian:12.8\n`);
    expect(DockerfileParser.parse(text).getDirectives()).toEqual([]);
  });

  it('refuses what no Dockerfile line can hold', () => {
    const w = new DockerfileWriter();
    expect(() => w.env('X', 'a\nb')).toThrow(RangeError);
    expect(() => w.env('1X', 'a')).toThrow(RangeError);
    expect(() => w.copy('code/', '/srv/$HOME/')).toThrow(RangeError);
    expect(() => w.from('debian:12 AS x')).toThrow(RangeError);
    expect(() => w.user('root; rm')).toThrow(RangeError);
    expect(() => w.expose([0])).toThrow(RangeError);
    expect(() => w.run([])).toThrow(RangeError);
  });

  it('exposes helpers for quoting', () => {
    expect(dockerQuote('a$b"c\\')).toBe('"a\\$b\\"c\\\\"');
    expect(execForm(['a b', 'c"'])).toBe('["a b", "c\\""]');
  });
});
