#!/usr/bin/env python3
"""Fuzz the diffusion CLI with malformed and extreme input (docs/testing.md, "Fuzzing the command line").

    python3 scripts/fuzz-cli.py MODE [--seed S] [--cases N] [--work DIR]

MODE
  validate     mutate experiments/*.yaml (delete, duplicate and re-indent lines, drop or insert YAML punctuation,
               replace values by odd scalars) and run `diffusion validate`
  run          small experiments with random SDE, solver, schedule, data and metric choices and extreme parameter
               values, run with `diffusion run`
  conditional  neural-model (tiny training), guidance and measurement cells with extreme values, `diffusion run`
  table        corrupt runs.jsonl of results/quickstart and run `diffusion table`
  merge        run a 3-shard copy of experiments/quickstart.yaml, corrupt one shard and run `diffusion merge`

A case is BAD when the exit code is not 0 or 2 (for `run` modes also 1, the code for recorded cell failures), when
the output holds a stack trace or "error: unexpected ..." (the CLI's catch-all), or when a cell failed with "exception:" (an
error the checks did not catch before the run). It prints the BAD cases, then the exit codes and the most frequent
error lines, so that unclear messages stand out too. Needs a Release build (`dotnet build -c Release`). Each case
works in its own folder under --work (default /tmp/diffusion-fuzz); nothing is written elsewhere.
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import random
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
DLL = os.path.join(ROOT, 'src/Diffusion.Research.Cli/bin/Release/net10.0/diffusion.dll')
ODD = ['0', '-1', '-0.0', '1e-300', '1e300', '.nan', '.inf', '-.inf', '0.5', '2', '3', '7', '1e-12', '100', '0.999', '1.0']
PUNCTUATION = ' :-[]{}#\t"\'!&*%@`,|>'
# A stack trace, the CLI's catch-all ("error: unexpected TypeName: ..."), or a cell failed by an exception the checks let through.
BAD_OUTPUT = re.compile(r'^\s+at \S+\(|Unhandled|error: unexpected \w+|exception: ', re.M)


def cli(args, cwd, timeout):
    try:
        r = subprocess.run(['dotnet', DLL] + args, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return 'timeout', ''
    return r.returncode, r.stdout + r.stderr


class Fuzzer:
    def __init__(self, seed, work):
        self.rng = random.Random(seed)
        self.seed = seed
        self.work = work

    def pick(self, *choices):
        return self.rng.choice(choices)

    def value(self, odd=0.4):
        return self.rng.choice(ODD) if self.rng.random() < odd else repr(round(self.rng.uniform(0, 3), 3))

    def folder(self, i):
        d = os.path.join(self.work, f'{self.seed}-{i}')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    # validate: mutations of the committed experiments
    def mutate_yaml(self, text):
        rng, lines = self.rng, text.split('\n')
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            line, op = lines[i], rng.randrange(7)
            key, colon, rest = line.partition(':')
            if op == 0 and colon:
                lines[i] = key + ': ' + rng.choice(ODD + ['[]', '{}', '~', '"x"', '[1, 2', '{a: 1}', '*a', '&a', '!!binary AA', "'"])
            elif op == 1:
                del lines[i]
            elif op == 2:
                lines.insert(i, lines[rng.randrange(len(lines))])
            elif op == 3 and line:
                j = rng.randrange(len(line))
                lines[i] = line[:j] + line[j + 1:]
            elif op == 4 and line:
                j = rng.randrange(len(line))
                lines[i] = line[:j] + rng.choice(PUNCTUATION) + line[j:]
            elif op == 5:
                lines[i] = ' ' * rng.randint(0, 4) + line.lstrip()
            elif op == 6 and colon:
                lines[i] = key + 'x:' + rest
        return '\n'.join(lines)

    def case_validate(self, i):
        source = self.rng.choice(sorted(glob.glob(os.path.join(ROOT, 'experiments', '*.yaml'))))
        d = self.folder(i)
        path = os.path.join(d, os.path.basename(source))
        with open(source) as f, open(path, 'w') as g:
            g.write(self.mutate_yaml(f.read()))
        return path, ['validate', path], d, 30, (0, 2), None

    # run: component choices and parameter values
    SDES = {'vp': ['beta_min', 'beta_max'], 've': ['sigma_min', 'sigma_max'], 'subvp': ['beta_min', 'beta_max'],
            'vp-cosine': ['s', 'beta_max'], 'flow-matching': ['T'], 'ou': ['theta', 's', 'T'],
            'vp-discrete-linear': ['steps', 'beta_start', 'beta_end', 'clip_lambda'],
            'vp-discrete-scaled-linear': ['steps', 'beta_start', 'beta_end', 'clip_lambda'],
            'vp-discrete-cosine': ['steps', 's', 'max_beta', 'clip_lambda']}
    SCHEDULES = {'uniform': [], 'karras': ['rho'], 'logsnr': [], 'exponential': [], 'polyexponential': ['rho'], 'time_quadratic': []}
    SOLVER_PARAMETERS = {'ald': ['eps', 'steps_per_level'], 'ddim': ['eta'], 'ddpm': ['variance_weight'], 'deis': ['order'],
                         'edm': ['s_churn', 's_tmin', 's_tmax', 's_noise'], 'restart': ['sigma_min', 'sigma_max', 'restarts'],
                         'pc': ['snr', 'corrector_steps'], 'ggf': ['safety', 'exponent'], 'lms': ['order'], 'ipndm': ['order'],
                         'dpm_solver_adaptive': ['order', 'h_init', 'theta'], 'dpmpp_2m_sde': ['eta'], 'euler_ancestral': ['eta', 's_noise']}
    SOLVERS = ['ald', 'ddim', 'ddpm', 'deis', 'dopri5', 'dpm_solver_2', 'dpm_solver_adaptive', 'dpmpp_2m', 'dpmpp_2m_sde',
               'dpmpp_3m', 'edm', 'euler', 'euler_ancestral', 'euler_maruyama', 'ggf', 'heun', 'ipndm', 'lms', 'pc', 'pndm',
               'restart', 'rk4', 'stochastic_heun', 'unipc_bh1']
    DATA = ['{name: 8gaussians}', '{name: gaussian, parameters: {dimension: 3}}', '{name: two_classes}',
            '{name: mixture, parameters: {weights: [0.5, 0.5], means: [0, 0, 1, 1], variances: [0.1, 1e-8]}}',
            '{name: gaussian_spectrum, parameters: {dimension: 4}}', '{name: mixture_spectrum, parameters: {dimension: 3}}',
            '{name: gaussian, parameters: {dimension: 2, variance: 1e-9}}']
    METRICS = ['sliced_w2', 'mean_error', 'cov_error', 'energy', 'mmd', 'ks', 'exact_w2', 'exact_kl', 'nll', 'disc_w2']

    def parameters(self, names, odd=0.4):
        given = [f'{n}: {self.value(odd)}' for n in names if self.rng.random() < 0.5]
        return '{' + ', '.join(given) + '}' if given else None

    def case_run(self, i):
        rng = self.rng
        kind, solver, schedule = rng.choice(list(self.SDES)), rng.choice(self.SOLVERS), rng.choice(list(self.SCHEDULES))
        lines = ['name: fz', f'seed: {rng.randrange(100)}', 'repeats: 1', 'data: ' + rng.choice(self.DATA), 'sde:', '  kind: ' + kind]
        if p := self.parameters(self.SDES[kind]):
            lines.append('  parameters: ' + p)
        if rng.random() < 0.5:
            lines.append('  t_eps: ' + self.pick('1e-3', '1e-5', '0.5', '0.9', '1e-12', '0.999999'))
        lines += ['model: {kind: exact}', 'sampler:', '  solver: ' + solver, '  schedule: ' + schedule]
        lines += (['  rtol: ' + self.value(), '  atol: ' + self.value()] if solver in ('dopri5', 'ggf', 'dpm_solver_adaptive')
                  else ['  nfe: ' + self.pick('1', '2', '3', '7', '10', '0', '-3', '20')])
        if p := self.parameters(self.SOLVER_PARAMETERS.get(solver, [])):
            lines.append('  parameters: ' + p)
        if p := self.parameters(self.SCHEDULES[schedule]):
            lines.append('  schedule_parameters: ' + p)
        if rng.random() < 0.2:
            lines.append('  device: gpu-emulated')
        lines += ['eval:', '  particles: ' + self.pick('50', '1', '2', '100'), '  reference: ' + self.pick('50', '1', '100'),
                  '  metrics: [' + ', '.join(rng.sample(self.METRICS, 2)) + ']']
        return self.run_case(i, lines)

    def case_conditional(self, i):
        rng, kind = self.rng, self.rng.randrange(3)
        lines = ['name: fz', f'seed: {rng.randrange(100)}', 'repeats: 1',
                 'data: ' + (self.pick('{name: 8gaussians}', '{name: moons}', '{name: two_classes}') if kind == 0 else '{name: two_classes}'),
                 'sde:', '  kind: ' + self.pick('vp', 've', 'subvp', 'vp-cosine'), '  t_eps: ' + self.pick('1e-3', '1e-2', '0.5')]
        if kind == 0:
            lines += ['model:', '  kind: ' + self.pick('mlp', 'ebm'), '  width: ' + self.pick('4', '8', '0'), '  layers: ' + self.pick('1', '2', '0'),
                      '  output: ' + self.pick('score', 'eps', 'x0', 'v'), '  train:', '    loss: ' + self.pick('esm', 'ism', 'ssm', 'dsm', 'eps', 'x0', 'v'),
                      '    weighting: ' + self.pick('uniform', 'sigma2', 'likelihood', 'snr', 'min-snr'),
                      '    t_sampling: ' + self.pick('uniform', 'importance', 'lognormal', 'fixed', 'ncsn'),
                      '    steps: ' + self.pick('1', '3', '10', '0'), '    batch: ' + self.pick('1', '2', '16'), '    optimizer: ' + self.pick('adam', 'adamw', 'sgd')]
            lines += [f'    {k}: {self.value(0.35)}' for k in ['lr', 'ema', 'clip', 'warmup', 'gamma', 'fixed_t', 'levels', 'probes'] if rng.random() < 0.25]
        else:
            lines.append('model: {kind: exact}')
        if kind == 1:
            lines += ['guidance:', '  kind: ' + self.pick('classifier', 'cfg'), '  scale: ' + self.value(0.35), '  class: ' + self.pick('0', '1', '2', '-1'),
                      '  target: ' + self.pick('conditional', 'tilted')]
        if kind == 2:
            lines += ['measurement:', '  observed: ' + self.pick('[1]', '[0]', '[2]', '[0, 1]', '[]'), '  y: ' + self.pick('[-0.4]', '[.nan]', '[1, 2]'),
                      '  noise: ' + self.value(0.35), '  method: ' + self.pick('replacement', 'repaint', 'dps')]
        lines += ['sampler:', '  solver: ' + self.pick('heun', 'euler_maruyama', 'ddim', 'euler', 'pc', 'edm', 'dpmpp_2m'), '  nfe: ' + self.pick('2', '4', '10'),
                  'eval:', '  particles: ' + self.pick('20', '2', '50'), '  reference: ' + self.pick('20', '50'),
                  '  metrics: [' + ', '.join(rng.sample(['sliced_w2', 'mean_error', 'cov_error', 'energy', 'mmd', 'ks', 'nll'], 2)) + ']']
        return self.run_case(i, lines)

    def run_case(self, i, lines):
        d = self.folder(i)
        path = os.path.join(d, 'x.yaml')
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        return path, ['run', path, '--out', os.path.join(d, 'out')], d, 120, (0, 1, 2), os.path.join(d, 'out', 'fz', 'table.md')

    # table and merge: corrupted results folders
    def corrupt(self, text):
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            op = rng.randrange(6)
            if op == 0 and text:
                j = rng.randrange(len(text))
                text = text[:j] + text[j + rng.randint(1, 20):]
            elif op == 1:
                j = rng.randrange(len(text) + 1)
                text = text[:j] + rng.choice(['null', '"x"', '1e999', '-1', '{}', '[]', '\n', '{"a":', '"', 'true']) + text[j:]
            elif op == 2 and (m := list(re.finditer(r'-?\d+\.?\d*(e-?\d+)?', text))):
                n = rng.choice(m)
                text = text[:n.start()] + rng.choice(['-1', '0', '1e308', '99', '1.5', '"1"', 'null']) + text[n.end():]
            elif op == 3 and (m := list(re.finditer(r'"[a-z_]+":', text))):
                n = rng.choice(m)
                text = text[:n.start()] + '"zz' + text[n.start() + 1:]
            elif op == 4:
                lines = text.split('\n')
                lines.insert(rng.randrange(len(lines)), rng.choice(lines))
                text = '\n'.join(lines)
            elif op == 5:
                text = text[:rng.randrange(len(text) + 1)]
        return text

    def corrupt_file(self, path):
        with open(path) as f:
            text = f.read()
        with open(path, 'w') as f:
            f.write(self.corrupt(text))

    def case_table(self, i):
        d = self.folder(i)
        folder = os.path.join(d, 'quickstart')
        shutil.copytree(os.path.join(ROOT, 'results', 'quickstart'), folder)
        self.corrupt_file(os.path.join(folder, self.pick('runs.jsonl', 'runs.jsonl', 'manifest.json')))
        return folder, ['table', folder], d, 60, (0, 2), None

    def case_merge(self, i):
        shards = os.path.join(self.work, 'shards')
        if not os.path.isdir(shards):
            os.makedirs(shards)
            experiment = os.path.join(shards, 'quickstart.yaml')
            with open(os.path.join(ROOT, 'experiments', 'quickstart.yaml')) as f, open(experiment, 'w') as g:
                g.write(f.read().replace('particles: 2000', 'particles: 100').replace('reference: 2000', 'reference: 100'))
            for s in (1, 2, 3):
                cli(['run', experiment, '--shard', f'{s}/3', '--out', os.path.join(shards, str(s))], shards, 300)
        d = self.folder(i)
        folders = []
        for s in (1, 2, 3):
            folders.append(os.path.join(d, str(s)))
            shutil.copytree(os.path.join(shards, str(s), 'quickstart'), folders[-1])
        self.corrupt_file(os.path.join(self.rng.choice(folders), self.pick('runs.jsonl', 'runs.jsonl', 'manifest.json', 'experiment.yaml')))
        return folders[0], ['merge'] + folders + ['--out', os.path.join(d, 'merged')], d, 60, (0, 2), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('mode', choices=['validate', 'run', 'conditional', 'table', 'merge'])
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--cases', type=int, default=200)
    parser.add_argument('--work', default='/tmp/diffusion-fuzz')
    args = parser.parse_args()
    if not os.path.exists(DLL):
        sys.exit(f'{DLL} is missing: run dotnet build Diffusion.Research.sln -c Release first')
    fuzzer = Fuzzer(args.seed, os.path.join(args.work, args.mode))
    case = getattr(fuzzer, 'case_' + args.mode)
    # The inputs are drawn in order on this thread (so a seed gives the same cases), the commands run two at a time.
    cases = [case(i) for i in range(args.cases)]

    def execute(c):
        path, command, cwd, timeout, allowed, extra = c
        code, out = cli(command, cwd, timeout)
        if extra and os.path.exists(extra):
            with open(extra) as f:
                out += f.read()
        return path, code, out, allowed

    codes, lines, bad = collections.Counter(), collections.Counter(), 0
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for path, code, out, allowed in pool.map(execute, cases):
            codes[code] += 1
            for line in [l for l in out.split('\n') if 'error' in l.lower() or l.startswith('- ')][:1]:
                lines[re.sub(r'\S*/', '', line)[:160]] += 1  # folders dropped: the same message groups across cases
            if code not in allowed or BAD_OUTPUT.search(out):
                bad += 1
                print(f'BAD {path} exit {code}\n    ' + out[-1200:].replace('\n', '\n    '), flush=True)
    print(f'{args.mode}: {args.cases} cases, seed {args.seed}, exit codes {dict(codes)}, {bad} bad')
    for line, count in lines.most_common(40):
        print(f'{count:5} {line}')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
